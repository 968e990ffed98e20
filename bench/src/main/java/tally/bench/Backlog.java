package tally.bench;

import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import tally.jobs.common.Topics;
import tally.testkit.generate.GeneratorSettings;
import tally.testkit.generate.TopicProvisioner;

/**
 * The backlog of a run outside the bench's JVM: fresh topics and the same generated input as every
 * in-JVM run of the invocation ({@link BenchRun} preloads the same way), written before the job
 * starts.
 */
final class Backlog {
  private Backlog() {}

  /** The ledger topics of one run, named after it. */
  static Topics topics(String name) {
    return new Topics(
        name + ".transactions",
        name + ".balances",
        name + ".alerts",
        name + ".dlq",
        name + ".merchant-revenue",
        name + ".revenue-late",
        name + ".revenue-dlq");
  }

  /** Creates the ledger's input and output topics and preloads the input; returns records/s. */
  static double preload(
      Admin admin, String bootstrapServers, Topics topics, BenchSettings settings, long records)
      throws Exception {
    TopicProvisioner.ensureTopics(admin, topics.ledger(), settings.partitions());
    try (InputFeed feed = new InputFeed(bootstrapServers, generator(topics, settings))) {
      return feed.preload(records);
    }
  }

  static GeneratorSettings generator(Topics topics, BenchSettings settings) {
    return GeneratorSettings.defaults()
        .withTopic(topics.transactions())
        .withAccounts(settings.accounts())
        .withDuplicateRatio(settings.duplicateRatio())
        .withInvalidRatio(settings.invalidRatio())
        .withSeed(settings.seed())
        .withRate(0)
        .withPartitions(settings.partitions());
  }

  static void deleteQuietly(Admin admin, List<String> topics) {
    try {
      admin.deleteTopics(topics).all().get();
    } catch (Exception e) {
      // a leftover topic costs disk, not correctness: every run has its own names
    }
  }
}
