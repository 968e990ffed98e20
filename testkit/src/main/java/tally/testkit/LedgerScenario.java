package tally.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import tally.connectors.kafka.KafkaConnection;
import tally.jobs.common.Delivery;
import tally.jobs.common.Topics;
import tally.jobs.ledger.LedgerJobOptions;
import tally.kafka.local.KafkaClusterExtension;
import tally.support.Deadline;
import tally.testkit.audit.AuditReport;
import tally.testkit.audit.AuditSettings;
import tally.testkit.audit.LedgerAudit;
import tally.testkit.generate.GeneratorSettings;
import tally.testkit.generate.TransactionProducer;

/**
 * One independent run of the ledger against the shared test broker: its own topics, consumer group
 * and transactional ids, so scenarios in one class cannot see each other's records.
 */
public final class LedgerScenario {
  private static final AtomicInteger NEXT = new AtomicInteger();
  public static final int PARTITIONS = 4;

  public final String name;
  public final LedgerJobOptions options = LedgerJobOptions.defaults();
  private final KafkaClusterExtension kafka;
  private final KafkaConnection generatorConnection;
  private final KafkaConnection auditConnection;

  /** On a PLAINTEXT test broker: the job, the generator and the audit connect alike. */
  public LedgerScenario(
      KafkaClusterExtension kafka, String label, Delivery delivery, Path checkpoints) {
    this(kafka, label, delivery, checkpoints, null, null, null);
  }

  /**
   * On a secured test broker: the topics are created by its admin, the job connects with {@code
   * job}, the generator with {@code generator} and the audit with {@code audit} (each a principal's
   * client properties). A null connection means the broker's bootstrap servers alone.
   */
  public LedgerScenario(
      KafkaClusterExtension kafka,
      String label,
      Delivery delivery,
      Path checkpoints,
      KafkaConnection job,
      KafkaConnection generator,
      KafkaConnection audit) {
    this.kafka = kafka;
    this.name = label + "-" + NEXT.incrementAndGet();
    this.generatorConnection = generator != null ? generator : plain(kafka);
    this.auditConnection = audit != null ? audit : plain(kafka);
    options.kafka.connection(job != null ? job : plain(kafka));
    options.topicOptions.set(Topics.underPrefix(name));
    options.identity.groupId = name;
    // Never a prefix of another job's: the sink aborts lingering transactions by prefix.
    options.identity.transactionalIdPrefix = name + "-ledger";
    options.runtime.delivery = delivery;
    options.runtime.parallelism.parallelism = 2;
    options.runtime.checkpointDir = checkpoints.toUri().toString();
    List<String> topics = options.topics().ledger();
    for (String topic : topics) {
      kafka.createTopic(topic, PARTITIONS);
    }
    // Creation is acknowledged before every broker's metadata shows the topic.
    if (!Deadline.in(Duration.ofSeconds(30)).await(() -> listed(topics))) {
      throw new IllegalStateException("topics " + topics + " not listed 30 s after their creation");
    }
  }

  private static KafkaConnection plain(KafkaClusterExtension kafka) {
    return KafkaConnection.to(kafka.bootstrapServers());
  }

  private boolean listed(List<String> topics) {
    try {
      return kafka.admin().listTopics().names().get().containsAll(topics);
    } catch (ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A generator of {@code count} transactions with duplicates and bad records mixed in. */
  public TransactionProducer generator(long count, double rate) {
    GeneratorSettings settings =
        GeneratorSettings.defaults()
            .withTopic(options.topicOptions.transactions)
            .withCount(count)
            .withRate(rate)
            .withAccounts(2_000)
            .withDuplicateRatio(0.02)
            .withInvalidRatio(0.005)
            .withSeed(name.hashCode())
            .withPartitions(PARTITIONS);
    return TransactionProducer.connect(generatorConnection, settings);
  }

  public AuditReport audit(Duration timeout) {
    return new LedgerAudit(
            AuditSettings.defaults(auditConnection)
                .withTopics(options.topics())
                .withTimeout(timeout))
        .run();
  }
}
