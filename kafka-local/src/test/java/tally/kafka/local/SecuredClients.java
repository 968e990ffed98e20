package tally.kafka.local;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka clients for the secured-broker tests: settings from the broker's client properties, every
 * call bounded.
 */
final class SecuredClients {

  static final Duration TIMEOUT = Duration.ofSeconds(30);

  /**
   * For clients that are expected to be refused: a refusal must come quickly, not after Kafka's 60
   * s default.
   */
  static final Duration REFUSAL_TIMEOUT = Duration.ofSeconds(4);

  private SecuredClients() {}

  /** A copy of {@code base} with these settings added ({@code key, value, key, value, ...}). */
  static Properties with(Properties base, Object... keyValues) {
    Properties properties = new Properties();
    properties.putAll(base);
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.put(keyValues[i], keyValues[i + 1]);
    }
    return properties;
  }

  /** An Admin client that gives up within {@link #REFUSAL_TIMEOUT}. */
  static Admin impatientAdmin(Properties properties) {
    int timeout = (int) REFUSAL_TIMEOUT.toMillis();
    return Admin.create(
        with(
            properties,
            "default.api.timeout.ms",
            timeout,
            "request.timeout.ms",
            timeout,
            "reconnect.backoff.max.ms",
            1000));
  }

  static void createTopic(Admin admin, String topic, int partitions) throws Exception {
    admin
        .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
        .all()
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  static AclBinding allow(
      String principal, ResourceType type, String name, AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(type, name, PatternType.LITERAL),
        new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
  }

  /** What a transactional producer and a read_committed consumer group of this principal need. */
  static List<AclBinding> producerAndConsumerAcls(
      String principal, String topic, String transactionalId, String group) {
    return List.of(
        allow(principal, ResourceType.TOPIC, topic, AclOperation.WRITE),
        allow(principal, ResourceType.TOPIC, topic, AclOperation.READ),
        allow(principal, ResourceType.TOPIC, topic, AclOperation.DESCRIBE),
        allow(principal, ResourceType.TRANSACTIONAL_ID, transactionalId, AclOperation.WRITE),
        allow(principal, ResourceType.TRANSACTIONAL_ID, transactionalId, AclOperation.DESCRIBE),
        allow(principal, ResourceType.GROUP, group, AclOperation.READ));
  }

  /**
   * Creates the ACLs and waits until the broker's authorizer answers with them (DescribeAcls is
   * served from the broker's own copy of the metadata, which the clients' requests are authorized
   * against).
   */
  static void grant(Admin admin, Collection<AclBinding> acls) throws Exception {
    admin.createAcls(acls).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    await("ACLs visible on the broker")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                admin
                    .describeAcls(AclBindingFilter.ANY)
                    .values()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .containsAll(acls));
  }

  static KafkaProducer<String, String> transactionalProducer(
      Properties client, String transactionalId) {
    return new KafkaProducer<>(
        with(
            client,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            transactionalId,
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            (int) TIMEOUT.toMillis(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class.getName()));
  }

  static void writeTransaction(
      Properties client, String transactionalId, String topic, String... values) throws Exception {
    try (KafkaProducer<String, String> producer = transactionalProducer(client, transactionalId)) {
      producer.initTransactions();
      producer.beginTransaction();
      for (String value : values) {
        producer
            .send(new ProducerRecord<>(topic, value, value))
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      producer.commitTransaction();
    }
  }

  static KafkaConsumer<String, String> consumer(Properties client, String group) {
    Properties properties =
        with(
            client,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "false",
            ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) REFUSAL_TIMEOUT.toMillis(),
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class.getName());
    if (group != null) {
      properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    return new KafkaConsumer<>(properties);
  }

  /**
   * Subscribes as a member of {@code group}, reads until {@code expected} values arrived, commits
   * their offsets.
   */
  static List<String> readAsGroup(Properties client, String topic, String group, int expected) {
    try (KafkaConsumer<String, String> consumer = consumer(client, group)) {
      consumer.subscribe(List.of(topic));
      List<String> values = new ArrayList<>();
      await("group " + group + " reads " + expected + " values from " + topic)
          .atMost(TIMEOUT)
          .pollInSameThread() // KafkaConsumer is single-threaded
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                return values.size() >= expected;
              });
      consumer.commitSync(TIMEOUT);
      return values;
    }
  }
}
