package tally.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import tally.connectors.preflight.MisconfigurationException;
import tally.jobs.common.JobCommandLine;

/**
 * The start-up checks judge the configuration the job would run with (the cluster's, with the
 * options and safe defaults applied) and refuse an unsafe one on one line, before touching Kafka.
 */
class LedgerJobFlinkSettingsTest {

  private static final String DIR = "file:///tmp/tally-checkpoints";

  private static Configuration cluster(String... keysAndValues) {
    Map<String, String> keys = new HashMap<>();
    keys.put("execution.checkpointing.dir", DIR);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      keys.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return Configuration.fromMap(keys);
  }

  private static void refused(Configuration cluster, String expected, String... args) {
    LedgerJobOptions options = JobCommandLine.parse(new LedgerJobOptions(), args);
    assertThatThrownBy(() -> LedgerJob.verify(options, cluster))
        .isInstanceOf(MisconfigurationException.class)
        .hasMessageContaining(expected)
        .hasMessageNotContaining("\n")
        .hasMessageNotContaining("cannot reach Kafka"); // judged before any connection
  }

  @Test
  void checkpointingOffInTheClusterIsRefused() {
    refused(
        cluster("execution.checkpointing.interval", "0"),
        "checkpointing is off in the cluster configuration (execution.checkpointing.interval: 0s):"
            + " exactly-once output would never commit; set execution.checkpointing.interval in"
            + " config.yaml or pass --checkpoint-interval");
  }

  @Test
  void checkpointingOffByTheOptionIsRefused() {
    refused(
        cluster(),
        "checkpointing is off (--checkpoint-interval 0s): exactly-once output would never commit;"
            + " pass a positive --checkpoint-interval",
        "--checkpoint-interval",
        "0");
  }

  @Test
  void checkpointsThatAreNotRetainedAreRefused() {
    refused(
        cluster(
            "execution.checkpointing.externalized-checkpoint-retention",
            "NO_EXTERNALIZED_CHECKPOINTS"),
        "checkpoints are not retained (execution.checkpointing.externalized-checkpoint-retention:"
            + " NO_EXTERNALIZED_CHECKPOINTS, the cluster's"
            + " execution.checkpointing.externalized-checkpoint-retention)");
  }

  @Test
  void checkpointsOnlyInTheJobManagersMemoryAreRefused() {
    refused(
        new Configuration(),
        "checkpoints would be kept only in the JobManager's memory (execution.checkpointing.dir"
            + " unset): none survives the job or a JobManager restart; set"
            + " execution.checkpointing.dir in config.yaml or pass --checkpoint-dir");
  }

  @Test
  void theTransactionTimeoutIsJudgedAgainstTheEffectiveTimings() {
    // 1s (Tally's default) + 10min (the cluster's) + 1min (Flink's default max-backoff of the
    // cluster's exponential-delay strategy) = 11min1s; twice that exceeds 15min.
    refused(
        cluster(
            "execution.checkpointing.timeout", "10min",
            "restart-strategy.type", "exponential-delay"),
        "transaction timeout 15min is too short: a transaction may stay open for checkpoint"
            + " interval 1s (Tally's default for an unset execution.checkpointing.interval) +"
            + " checkpoint timeout 10min (the cluster's execution.checkpointing.timeout) + max"
            + " restart backoff 1min (Flink's default"
            + " restart-strategy.exponential-delay.max-backoff) = 661s");
  }
}
