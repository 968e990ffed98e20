package tally.testkit.generate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates a topic when it is missing, with replication factor min(3, brokers). */
public final class TopicProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  /** Every topic of the ledger contract by default name, plus the revenue job's dead letters. */
  public static final List<String> TALLY_TOPICS =
      List.of(
          "tally.transactions",
          "tally.balances",
          "tally.alerts",
          "tally.dlq",
          "tally.merchant-revenue",
          "tally.revenue-late",
          "tally.revenue-dlq");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private TopicProvisioner() {}

  /**
   * Makes sure {@code topic} exists; an existing topic is left as it is.
   *
   * @return true if this call created it
   * @throws IllegalStateException when Kafka cannot be reached or refuses the topic
   */
  public static boolean ensureTopic(String bootstrapServers, String topic, int partitions) {
    Map<String, Object> config = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.CLIENT_ID_CONFIG, "tally-generate-admin",
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    try (Admin admin = Admin.create(config)) {
      return ensureTopic(admin, topic, partitions);
    }
  }

  public static boolean ensureTopic(Admin admin, String topic, int partitions) {
    try {
      if (admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
        return false;
      }
      int brokers = admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
      short replicationFactor = (short) Math.max(1, Math.min(3, brokers));
      admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor)))
          .all()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("Created topic {} ({} partitions, replication factor {})", topic, partitions, replicationFactor);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false; // somebody else created it meanwhile
      }
      throw new IllegalStateException("Cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer within " + TIMEOUT.toSeconds() + " s while creating topic " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic " + topic, e);
    }
  }
}
