package tally.kafka.local;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Small Kafka client helpers for the tests; every call is bounded by a timeout. */
final class KafkaTestClients {

  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private KafkaTestClients() {}

  static void createTopic(String bootstrapServers, String topic, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  static KafkaProducer<String, String> transactionalProducer(
      String bootstrapServers, String transactionalId) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            transactionalId,
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            (int) TIMEOUT.toMillis(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class));
  }

  /**
   * One transaction with these values, committed (or aborted), by a fresh producer with this
   * transactional id.
   */
  static void writeTransaction(
      String bootstrapServers,
      String transactionalId,
      String topic,
      boolean commit,
      String... values) {
    try (KafkaProducer<String, String> producer =
        transactionalProducer(bootstrapServers, transactionalId)) {
      producer.initTransactions();
      sendInTransaction(producer, topic, values);
      if (commit) {
        producer.commitTransaction();
      } else {
        producer.abortTransaction();
      }
    }
  }

  static void sendInTransaction(
      KafkaProducer<String, String> producer, String topic, String... values) {
    producer.beginTransaction();
    for (String value : values) {
      producer.send(new ProducerRecord<>(topic, value, value));
    }
    producer.flush();
  }

  /**
   * Every value a read_committed consumer sees in the topic, from the beginning to the last stable
   * offset.
   */
  static List<String> readCommitted(String bootstrapServers, String topic) {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, TIMEOUT).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // With read_committed, the end offsets are the last stable offsets.
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
      List<String> values = new ArrayList<>();
      await("read_committed consumer reaches the end of " + topic)
          .atMost(TIMEOUT)
          .pollInSameThread() // KafkaConsumer is single-threaded
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                return partitions.stream()
                    .allMatch(tp -> consumer.position(tp, TIMEOUT) >= end.get(tp));
              });
      return values;
    }
  }
}
