package tally.jobs.common;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --duration}: how long a verb runs before it stops by itself and audits. */
public class DurationOption {
  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description =
          "Run for this long, e.g. 90s or 30m, then stop and audit. demo: default until Ctrl-C."
              + " chaos: a soak run, faults due every --fault-every for that long instead of"
              + " --count of them.")
  public Duration duration;
}
