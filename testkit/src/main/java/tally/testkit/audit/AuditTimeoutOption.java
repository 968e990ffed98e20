package tally.testkit.audit;

import java.time.Duration;
import picocli.CommandLine.Option;
import tally.jobs.common.DurationConverter;

/** {@code --audit-timeout}: how long a verb's closing audit waits for the jobs to catch up. */
public class AuditTimeoutOption {
  @Option(
      names = "--audit-timeout",
      converter = DurationConverter.class,
      description =
          "How long the final audit waits for the jobs to catch up (default: 90s for demo, 3min"
              + " for chaos).")
  public Duration auditTimeout;

  public AuditTimeoutOption(Duration defaultTimeout) {
    this.auditTimeout = defaultTimeout;
  }
}
