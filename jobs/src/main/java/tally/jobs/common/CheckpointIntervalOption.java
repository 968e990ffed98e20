package tally.jobs.common;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --checkpoint-interval}: how often a job checkpoints, and so commits its exactly-once
 * output.
 */
public class CheckpointIntervalOption {
  @Option(
      names = "--checkpoint-interval",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description =
          "Time between checkpoints; exactly-once output becomes visible at each one (default:"
              + " ${DEFAULT-VALUE}).")
  public Duration interval;
}
