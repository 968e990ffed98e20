package tally.jobs.common;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --checkpoint-interval}: how often a job checkpoints, and so commits its exactly-once
 * output. Unset unless given: then the cluster's {@code execution.checkpointing.interval} applies
 * (docs/flink-configuration.md).
 */
public class CheckpointIntervalOption {
  public static final String NAME = "--checkpoint-interval";

  @Option(
      names = NAME,
      converter = DurationConverter.class,
      description =
          "Time between checkpoints; exactly-once output becomes visible at each one; 0 turns"
              + " checkpointing off (default: the cluster's execution.checkpointing.interval, else"
              + " 1s).")
  public Duration interval;

  /** The interval {@code defaultInterval} unless given (tools that run their own cluster). */
  public CheckpointIntervalOption(Duration defaultInterval) {
    this.interval = defaultInterval;
  }

  /** The cluster's interval unless given. */
  public CheckpointIntervalOption() {
    this(null);
  }
}
