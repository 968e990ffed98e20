package tally.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;
import tally.cluster.embedded.FlinkMiniCluster;
import tally.jobs.common.JobCommandLine;
import tally.jobs.common.RuntimeOptions;

/**
 * Tally's clusters carry the settings the jobs used to force: the process cluster and
 * docker-compose through deploy/flink/config.yaml, the MiniCluster of run, demo and bench through
 * {@link FlinkMiniCluster#jobDefaults()}. On either, a job submitted without options sets no
 * program configuration at all.
 */
class JobFacingConfigurationTest {
  private static final Configuration SHARED =
      FlinkConfigFiles.load(TallyHome.locate().flinkDeployDir());

  @Test
  void theMiniClusterGivesJobsWhatTheSharedClusterConfigurationDoes() {
    Map<String, String> shared = SHARED.toMap();
    FlinkMiniCluster.jobDefaults()
        .toMap()
        .forEach(
            (key, value) ->
                assertThat(shared.get(key))
                    .as("%s in deploy/flink/config.yaml", key)
                    .isNotNull()
                    .satisfies(v -> assertThat(normalized(v)).isEqualTo(normalized(value))));
  }

  @Test
  void onTallysClustersAJobWithoutOptionsSetsNoFlinkKey() {
    RuntimeOptions none = JobCommandLine.parse(new RuntimeOptions());
    assertThat(none.apply(SHARED).toMap()).as("deploy/flink/config.yaml").isEmpty();
    Configuration mini = FlinkMiniCluster.clusterConfiguration(2, Path.of("/tmp/tally-mini"));
    assertThat(none.apply(mini).toMap()).as("the MiniCluster's configuration").isEmpty();
  }

  @Test
  void configuringTheJobLeavesTheClustersConfigurationAsItIs() {
    // What a cluster that forbids program configuration compares (execution.program-config.enabled:
    // false): the environment's configuration against the cluster's.
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(new Configuration(SHARED));
    Map<String, String> before = Map.copyOf(env.getConfiguration().toMap());
    JobCommandLine.parse(new RuntimeOptions()).configure(env);
    assertThat(env.getConfiguration().toMap()).isEqualTo(before);
  }

  /** The same value however written: durations parsed ("1s" = "1 s"), enums in any case. */
  private static Object normalized(String value) {
    try {
      return TimeUtils.parseDuration(value.trim());
    } catch (IllegalArgumentException notADuration) {
      return value.trim().toLowerCase(Locale.ROOT);
    }
  }
}
