package tally.jobs.revenue;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tally.jobs.common.ForeignStateOption;
import tally.jobs.common.JobCommandLine;
import tally.jobs.common.JobIdentityOptions;
import tally.jobs.common.KafkaOptions;
import tally.jobs.common.RuntimeOptions;
import tally.jobs.common.TopicOptions;
import tally.jobs.common.Topics;

/** Options of the revenue job; the same ones for `flink run` and `bin/tally run revenue`. */
@Command(
    name = "revenue",
    mixinStandardHelpOptions = true,
    description =
        "Sums merchant debits from the balance updates in event-time windows, exactly once.")
public class RevenueJobOptions {

  @Mixin public KafkaOptions kafka = new KafkaOptions();

  @Mixin public TopicOptions topicOptions = new TopicOptions();

  @Mixin public JobIdentityOptions identity = new JobIdentityOptions(RevenueJob.NAME);

  @Mixin public RevenueWindowOptions windows = new RevenueWindowOptions();

  @Mixin public RuntimeOptions runtime = new RuntimeOptions();

  @Mixin public ForeignStateOption foreignState = new ForeignStateOption();

  /** The options as an empty command line gives them: every default, declared once. */
  public static RevenueJobOptions defaults() {
    return JobCommandLine.parse(new RevenueJobOptions());
  }

  public Topics topics() {
    return topicOptions.topics();
  }

  public List<String> outputTopics() {
    return topics().revenueOutputs();
  }
}
