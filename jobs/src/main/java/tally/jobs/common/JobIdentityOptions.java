package tally.jobs.common;

import picocli.CommandLine.Option;

/**
 * What names a job to Flink and Kafka: its Flink job name, its consumer group and its sink's
 * transactional-id prefix. All three default to the job's own name ({@code tally-ledger}, {@code
 * tally-revenue}); the prefix must stay the same across restarts and upgrades (the sink finds and
 * aborts lingering transactions by it) and must not be a prefix of another job's.
 */
public class JobIdentityOptions {

  @Option(
      names = "--job-name",
      description =
          "Flink job name, as the Web UI and 'flink list' show it (default: ${DEFAULT-VALUE}).")
  public String jobName;

  @Option(
      names = "--group-id",
      description =
          "Consumer group; offsets are committed to it on checkpoints, for monitoring (default:"
              + " ${DEFAULT-VALUE}).")
  public String groupId;

  @Option(
      names = "--transactional-id-prefix",
      description =
          "Kafka transactional-id prefix of the sink; keep it across restarts and upgrades, unique"
              + " per job (default: ${DEFAULT-VALUE}).")
  public String transactionalIdPrefix;

  /** Every name set to {@code name}: the defaults of a job called {@code name}. */
  public JobIdentityOptions(String name) {
    this.jobName = name;
    this.groupId = name;
    this.transactionalIdPrefix = name;
  }
}
