package tally.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import tally.connectors.preflight.FlinkSettings;
import tally.connectors.preflight.FlinkSettings.Origin;
import tally.connectors.preflight.MisconfigurationException;

/** Which Flink settings a job sets on top of the cluster's, and which the cluster keeps. */
class RuntimeOptionsTest {

  private static RuntimeOptions options(String... args) {
    return JobCommandLine.parse(new RuntimeOptions(), args);
  }

  private static Configuration cluster(Map<String, String> keys) {
    return Configuration.fromMap(keys);
  }

  @Test
  void aKeyTheClusterSetsStaysWhenTheUserPassesNothing() {
    Configuration cluster =
        cluster(
            Map.of(
                "execution.checkpointing.interval", "30s",
                "execution.checkpointing.timeout", "7min",
                "restart-strategy.type", "exponential-delay",
                "restart-strategy.exponential-delay.max-backoff", "45s"));

    Configuration applied = options().apply(cluster);

    assertThat(applied.keySet())
        .doesNotContain(
            "execution.checkpointing.interval",
            "execution.checkpointing.timeout",
            "restart-strategy.type",
            "restart-strategy.exponential-delay.max-backoff",
            // the cluster chose a restart strategy: its parameters are the cluster's (or Flink's)
            "restart-strategy.exponential-delay.initial-backoff",
            "restart-strategy.exponential-delay.backoff-multiplier");
    FlinkSettings effective = options().effective(cluster);
    assertThat(effective.checkpointInterval().value()).isEqualTo(Duration.ofSeconds(30));
    assertThat(effective.checkpointInterval().origin()).isEqualTo(Origin.CLUSTER);
    assertThat(effective.checkpointTimeout().value()).isEqualTo(Duration.ofMinutes(7));
    assertThat(effective.maxRestartBackoff().value()).isEqualTo(Duration.ofSeconds(45));
    assertThat(effective.maxRestartBackoff().origin()).isEqualTo(Origin.CLUSTER);
  }

  @Test
  void theUsersOptionWinsOverTheCluster() {
    Configuration cluster =
        cluster(
            Map.of(
                "execution.checkpointing.interval", "30s",
                "execution.checkpointing.timeout", "7min",
                "execution.checkpointing.dir", "file:///cluster/checkpoints",
                "parallelism.default", "4"));

    RuntimeOptions options =
        options(
            "--checkpoint-interval",
            "5s",
            "--checkpoint-timeout",
            "1min",
            "--checkpoint-dir",
            "file:///mine",
            "--parallelism",
            "1");
    Configuration applied = options.apply(cluster);

    assertThat(applied.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(applied.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(applied.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///mine");
    assertThat(applied.toMap()).containsEntry("parallelism.default", "1");
    FlinkSettings effective = options.effective(cluster);
    assertThat(effective.checkpointInterval().value()).isEqualTo(Duration.ofSeconds(5));
    assertThat(effective.checkpointInterval().origin()).isEqualTo(Origin.OPTION);
    assertThat(effective.checkpointStorage().value()).isEqualTo("file:///mine");
  }

  @Test
  void exactlyOnceCriticalKeysTheClusterLeavesUnsetGetTheSafeDefaults() {
    Configuration applied = options().apply(new Configuration());

    assertThat(applied.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(applied.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(applied.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
        .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    assertThat(applied.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(applied.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    assertThat(applied.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
    assertThat(applied.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(applied.get(PipelineOptions.MAX_PARALLELISM))
        .isEqualTo(RuntimeOptions.MAX_PARALLELISM);
    // Not exactly-once-critical: the cluster's (or Flink's) value applies, the job sets nothing.
    assertThat(applied.keySet())
        .doesNotContain(
            "execution.checkpointing.num-retained",
            "execution.checkpointing.tolerable-failed-checkpoints",
            "state.backend.rocksdb.use-bloom-filter",
            "pipeline.object-reuse");

    FlinkSettings effective = options().effective(new Configuration());
    assertThat(effective.checkpointInterval().origin()).isEqualTo(Origin.SAFE_DEFAULT);
    assertThat(effective.checkpointRetention().origin()).isEqualTo(Origin.SAFE_DEFAULT);
    assertThat(effective.checkpointStorage().value()).isNull(); // nobody gave a directory
    assertThat(effective.checkpointStorage().origin()).isEqualTo(Origin.FLINK_DEFAULT);
  }

  @Test
  void eachSafeDefaultIsFilledInOnlyWhereTheClusterLeavesAGap() {
    Configuration cluster =
        cluster(
            Map.of(
                "state.backend.type", "hashmap",
                "execution.checkpointing.externalized-checkpoint-retention",
                    "DELETE_ON_CANCELLATION"));

    Configuration applied = options().apply(cluster);

    assertThat(applied.keySet())
        .doesNotContain(
            "state.backend.type",
            "execution.checkpointing.incremental", // RocksDB only
            "execution.checkpointing.externalized-checkpoint-retention")
        .contains("execution.checkpointing.interval", "restart-strategy.type");
  }

  @Test
  void aClusterThatSetsEveryCriticalKeyGetsNoProgramConfiguration() {
    Configuration cluster = new Configuration();
    for (RuntimeOptions.SafeDefault<?> safe : RuntimeOptions.SAFE_DEFAULTS) {
      put(cluster, safe);
    }
    assertThat(options().apply(cluster).keySet()).isEmpty();
  }

  private static <T> void put(Configuration conf, RuntimeOptions.SafeDefault<T> safe) {
    conf.set(safe.option(), safe.value());
  }

  @Test
  void theEffectiveRestartBackoffIsThatOfTheClustersStrategy() {
    Configuration fixed = cluster(Map.of("restart-strategy.type", "fixed-delay"));
    FlinkSettings effective = options().effective(fixed);
    assertThat(effective.maxRestartBackoff().key()).isEqualTo("restart-strategy.fixed-delay.delay");
    assertThat(effective.maxRestartBackoff().value()).isEqualTo(Duration.ofSeconds(1));
    assertThat(effective.maxRestartBackoff().origin()).isEqualTo(Origin.FLINK_DEFAULT);

    Configuration exponential = cluster(Map.of("restart-strategy.type", "exponential-delay"));
    assertThat(options().effective(exponential).maxRestartBackoff().value())
        .as("Flink's default max-backoff, not Tally's")
        .isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aRestartBackoffOptionTheClustersStrategyIgnoresIsRefused() {
    Configuration fixed = cluster(Map.of("restart-strategy.type", "fixed-delay"));
    assertThatThrownBy(() -> options("--restart-max-backoff", "5s").apply(fixed))
        .isInstanceOf(MisconfigurationException.class)
        .hasMessageContaining("restart-strategy.type is fixed-delay")
        .hasMessageContaining("drop the option");
  }

  @Test
  void configureChangesOnlyWhatTheOptionsAndTheGapsSay() {
    Configuration cluster =
        cluster(
            Map.of(
                "execution.checkpointing.interval", "30s",
                "execution.checkpointing.timeout", "7min",
                "execution.checkpointing.dir", "file:///cluster/checkpoints"));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(cluster);

    FlinkSettings effective = options("--checkpoint-interval", "5s").configure(env);

    assertThat(env.getCheckpointConfig().getCheckpointInterval()).isEqualTo(5_000);
    assertThat(env.getCheckpointConfig().getCheckpointTimeout()).isEqualTo(7 * 60_000);
    assertThat(env.getConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .isEqualTo("file:///cluster/checkpoints");
    assertThat(env.getCheckpointConfig().getExternalizedCheckpointRetention())
        .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    assertThat(effective.checkpointTimeout().origin()).isEqualTo(Origin.CLUSTER);
  }

  @Test
  void aZeroIntervalTurnsCheckpointingOffEvenWhereTheClusterHasIt() {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            cluster(Map.of("execution.checkpointing.interval", "30s")));

    FlinkSettings effective = options("--checkpoint-interval", "0").configure(env);

    assertThat(env.getCheckpointConfig().isCheckpointingEnabled()).isFalse();
    assertThat(effective.checkpointInterval().value()).isZero();
    assertThat(effective.checkpointInterval().origin()).isEqualTo(Origin.OPTION);
  }
}
