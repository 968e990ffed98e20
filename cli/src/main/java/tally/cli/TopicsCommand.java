package tally.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tally.jobs.common.KafkaOptions;
import tally.jobs.common.TopicOptions;
import tally.testkit.generate.PartitionsOption;
import tally.testkit.generate.TopicProvisioner;

/** {@code tally topics create}: the contract's topics, created once with the right partitioning. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Creates Tally's topics (those missing) on a Kafka cluster.",
    subcommands = TopicsCommand.Create.class)
public final class TopicsCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Creates the topics that do not exist yet; existing ones are left alone.")
  static final class Create implements Callable<Integer> {
    @Mixin KafkaOptions kafka = new KafkaOptions();

    @Mixin TopicOptions topics = new TopicOptions();

    @Mixin PartitionsOption partitions = new PartitionsOption();

    @Override
    public Integer call() {
      List<String> all = topics.topics().all();
      int created = TopicProvisioner.ensureTopics(kafka.connection(), all, partitions.partitions);
      System.out.printf(
          "%d topics created, %d already existed on %s%n",
          created, all.size() - created, kafka.bootstrapServers());
      return 0;
    }
  }
}
