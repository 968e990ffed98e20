package tally.connectors.preflight;

import java.time.Duration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;

/**
 * The Flink settings that exactly-once depends on, as the job will run with them: the cluster's
 * configuration, then the options the user passed, then Tally's safe defaults for what both leave
 * unset (docs/flink-configuration.md). Each says where its value comes from, so that a refusal can
 * say what to change.
 *
 * @param checkpointInterval {@code execution.checkpointing.interval}; null or zero: checkpointing
 *     is off
 * @param checkpointTimeout {@code execution.checkpointing.timeout}
 * @param maxRestartBackoff the longest delay the restart strategy waits before a restart (its key
 *     depends on {@code restart-strategy.type}; zero for no restarts)
 * @param checkpointRetention {@code execution.checkpointing.externalized-checkpoint-retention}
 * @param checkpointStorage where checkpoints are written: {@code execution.checkpointing.dir}, or a
 *     custom {@code execution.checkpointing.storage}; null: only in the JobManager's memory
 */
public record FlinkSettings(
    Setting<Duration> checkpointInterval,
    Setting<Duration> checkpointTimeout,
    Setting<Duration> maxRestartBackoff,
    Setting<ExternalizedCheckpointRetention> checkpointRetention,
    Setting<String> checkpointStorage) {

  /** Where an effective value comes from. */
  public enum Origin {
    /** The user passed the job option. */
    OPTION,
    /** The cluster's configuration: config.yaml, {@code -D} on flink run, flinkConfiguration. */
    CLUSTER,
    /** Neither set it: Tally's safe default for exactly-once. */
    SAFE_DEFAULT,
    /** Nobody set it: Flink's own default. */
    FLINK_DEFAULT
  }

  /**
   * One effective setting.
   *
   * @param key the Flink configuration key that holds it
   * @param value its effective value (null: unset without a default)
   * @param origin where the value comes from
   * @param option the job option that sets it, or null when there is none
   */
  public record Setting<T>(String key, T value, Origin origin, String option) {

    /** Where the value comes from, e.g. "the cluster's execution.checkpointing.timeout". */
    public String source() {
      return switch (origin) {
        case OPTION -> option;
        case CLUSTER -> "the cluster's " + key;
        case SAFE_DEFAULT -> "Tally's default for an unset " + key;
        case FLINK_DEFAULT -> "Flink's default " + key;
      };
    }

    /** The value and its source, e.g. "2min (the cluster's execution.checkpointing.timeout)". */
    public String describe() {
      String text =
          value == null
              ? "unset"
              : value instanceof Duration d ? StartupChecks.human(d) : "" + value;
      return text + " (" + source() + ")";
    }

    /** How to change it, e.g. "set execution.checkpointing.timeout in config.yaml or pass ...". */
    public String remedy() {
      if (origin == Origin.OPTION) {
        return "pass another " + option;
      }
      return "set " + key + " in config.yaml" + (option == null ? "" : " or pass " + option);
    }
  }

  /**
   * Settings that all come from job options, checkpoints assumed retained on cancellation in
   * durable storage: for checks that do not start from a cluster's configuration (tests, the Kafka
   * side).
   */
  public static FlinkSettings ofOptions(
      Duration checkpointInterval, Duration checkpointTimeout, Duration maxRestartBackoff) {
    return new FlinkSettings(
        new Setting<>(
            "execution.checkpointing.interval",
            checkpointInterval,
            Origin.OPTION,
            "--checkpoint-interval"),
        new Setting<>(
            "execution.checkpointing.timeout",
            checkpointTimeout,
            Origin.OPTION,
            "--checkpoint-timeout"),
        new Setting<>(
            "restart-strategy.exponential-delay.max-backoff",
            maxRestartBackoff,
            Origin.OPTION,
            "--restart-max-backoff"),
        new Setting<>(
            "execution.checkpointing.externalized-checkpoint-retention",
            ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION,
            Origin.SAFE_DEFAULT,
            null),
        new Setting<>(
            "execution.checkpointing.dir", "(assumed durable)", Origin.OPTION, "--checkpoint-dir"));
  }

  boolean checkpointing() {
    Duration interval = checkpointInterval.value();
    return interval != null && !interval.isZero() && !interval.isNegative();
  }
}
