package tally.jobs.ledger;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tally.jobs.common.DurationConverter;
import tally.jobs.common.ForeignStateOption;
import tally.jobs.common.JobCommandLine;
import tally.jobs.common.JobIdentityOptions;
import tally.jobs.common.KafkaOptions;
import tally.jobs.common.RuntimeOptions;
import tally.jobs.common.TopicOptions;
import tally.jobs.common.Topics;

/** Options of the ledger job; the same ones for `flink run` and `bin/tally run ledger`. */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    description = "Applies transactions to per-account balances, exactly once.")
public class LedgerJobOptions {

  @Mixin public KafkaOptions kafka = new KafkaOptions();

  @Mixin public TopicOptions topicOptions = new TopicOptions();

  @Mixin public JobIdentityOptions identity = new JobIdentityOptions(LedgerJob.NAME);

  @Option(
      names = "--dedup-retention",
      defaultValue = "7d",
      converter = DurationConverter.class,
      description =
          "How long an applied txnId is remembered for de-duplication (default: ${DEFAULT-VALUE}).")
  public Duration dedupRetention;

  @Mixin public RuntimeOptions runtime = new RuntimeOptions();

  @Mixin public ForeignStateOption foreignState = new ForeignStateOption();

  /** The options as an empty command line gives them: every default, declared once above. */
  public static LedgerJobOptions defaults() {
    return JobCommandLine.parse(new LedgerJobOptions());
  }

  public Topics topics() {
    return topicOptions.topics();
  }

  public List<String> outputTopics() {
    return topics().ledgerOutputs();
  }
}
