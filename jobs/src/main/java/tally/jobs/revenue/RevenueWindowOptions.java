package tally.jobs.revenue;

import java.time.Duration;
import picocli.CommandLine.Option;
import tally.jobs.common.DurationConverter;

/** The revenue windows' event-time settings: the job's, and what the audit must assume. */
public class RevenueWindowOptions {

  @Option(
      names = "--window",
      defaultValue = "1min",
      converter = DurationConverter.class,
      description = "Tumbling window size (default: ${DEFAULT-VALUE}).")
  public Duration window;

  @Option(
      names = "--out-of-orderness",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "How far event time may go backwards before a debit is late (default: ${DEFAULT-VALUE}).")
  public Duration outOfOrderness;

  @Option(
      names = "--idleness",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "A partition without records for this long stops holding back event time (default:"
              + " ${DEFAULT-VALUE}).")
  public Duration idleness;
}
