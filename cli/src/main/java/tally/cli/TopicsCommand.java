package tally.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.testkit.generate.TopicProvisioner;

/** {@code tally topics create}: the spec's topics, created once with the right partitioning. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Creates Tally's topics (those missing) on a Kafka cluster.",
    subcommands = TopicsCommand.Create.class)
public final class TopicsCommand implements Runnable {

  /** Every topic of the ledger contract by default name, plus the revenue job's dead letters. */
  public static final List<String> ALL = TopicProvisioner.TALLY_TOPICS;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Creates the missing ones among {@code topics}; returns how many it created. */
  public static int ensure(String bootstrapServers, List<String> topics, int partitions) {
    int created = 0;
    for (String topic : topics) {
      if (TopicProvisioner.ensureTopic(bootstrapServers, topic, partitions)) {
        created++;
      }
    }
    return created;
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Creates the topics that do not exist yet; existing ones are left alone.")
  static final class Create implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092",
        description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--partitions", defaultValue = "4",
        description = "Partitions of each new topic; the ledger's parallelism is useful up to this (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() {
      int created = ensure(bootstrapServers, ALL, partitions);
      System.out.printf("%d topics created, %d already existed on %s%n", created, ALL.size() - created, bootstrapServers);
      return 0;
    }
  }
}
