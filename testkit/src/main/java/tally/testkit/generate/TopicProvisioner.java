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
import tally.connectors.kafka.KafkaConnection;
import tally.support.Deadline;

/**
 * The one way Tally's tools create topics: when missing, with replication factor min(3, brokers).
 */
public final class TopicProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private TopicProvisioner() {}

  /**
   * Makes sure {@code topic} exists; an existing topic is left as it is.
   *
   * @return true if this call created it
   * @throws IllegalStateException when Kafka cannot be reached or refuses the topic
   */
  public static boolean ensureTopic(KafkaConnection kafka, String topic, int partitions) {
    return ensureTopics(kafka, List.of(topic), partitions) == 1;
  }

  /** Makes sure every one of {@code topics} exists; returns how many this call created. */
  public static int ensureTopics(KafkaConnection kafka, List<String> topics, int partitions) {
    try (Admin admin = admin(kafka)) {
      return ensureTopics(admin, topics, partitions);
    }
  }

  public static int ensureTopics(Admin admin, List<String> topics, int partitions) {
    int created = 0;
    for (String topic : topics) {
      if (ensureTopic(admin, topic, partitions)) {
        created++;
      }
    }
    if (created > 0) {
      awaitLeaders(admin, topics);
    }
    return created;
  }

  /**
   * Waits until every partition of {@code topics} has a leader: producing to a partition no broker
   * leads yet fails and retries, and early retries of an idempotent producer can end in an
   * out-of-order sequence error.
   */
  public static void awaitLeaders(Admin admin, List<String> topics) {
    if (!Deadline.in(TIMEOUT)
        .await(() -> allLed(admin, topics), () -> null, Duration.ofMillis(50))) {
      throw new IllegalStateException(
          "topics " + topics + " have no leaders after " + TIMEOUT.toSeconds() + " s");
    }
  }

  private static boolean allLed(Admin admin, List<String> topics) {
    try {
      return admin
          .describeTopics(topics)
          .allTopicNames()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .values()
          .stream()
          .allMatch(
              topic ->
                  topic.partitions().stream()
                      .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
    } catch (ExecutionException | TimeoutException notYet) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** An admin client for the tools, answering within the provisioner's timeout. */
  public static Admin admin(KafkaConnection kafka) {
    return kafka.createAdmin(
        Map.of(
            AdminClientConfig.CLIENT_ID_CONFIG,
            "tally-admin",
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) TIMEOUT.toMillis()));
  }

  public static boolean ensureTopic(Admin admin, String topic, int partitions) {
    try {
      if (admin
          .listTopics()
          .names()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .contains(topic)) {
        return false;
      }
      int brokers =
          admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
      short replicationFactor = (short) Math.max(1, Math.min(3, brokers));
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, replicationFactor)))
          .all()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info(
          "Created topic {} ({} partitions, replication factor {})",
          topic,
          partitions,
          replicationFactor);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false; // somebody else created it meanwhile
      }
      throw new IllegalStateException(
          "Cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not answer within " + TIMEOUT.toSeconds() + " s while creating topic " + topic,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic " + topic, e);
    }
  }
}
