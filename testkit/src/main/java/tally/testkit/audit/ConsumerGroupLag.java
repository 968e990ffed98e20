package tally.testkit.audit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import tally.connectors.kafka.KafkaClientProperties.ClientKind;
import tally.connectors.kafka.KafkaConnection;

/**
 * How many committed records of a topic a job's consumer group has not read yet. Flink commits the
 * group's offsets when a checkpoint completes, so 0 means the job has read and checkpointed
 * everything visible to read_committed readers.
 *
 * <p>The one definition of lag in Tally. Near the end it is counted by reading, not by subtracting
 * offsets: in a transactional topic every transaction ends with a commit marker that occupies an
 * offset but is no record, so "end offset - committed offset" stays above 0 after a job has read
 * everything. Far from the end (more than {@value #COUNT_BY_READING_UP_TO} offsets behind in a
 * partition) it is the offset distance, which markers then barely inflate: a progress figure, read
 * in constant time. Zero is always exact.
 */
public final class ConsumerGroupLag implements AutoCloseable {
  static final long COUNT_BY_READING_UP_TO = 10_000;

  private final Admin admin;
  private final KafkaConsumer<byte[], byte[]> reader;

  public ConsumerGroupLag(KafkaConnection kafka) {
    admin = kafka.createAdmin(Map.of());
    Properties consumer =
        kafka.config(
            ClientKind.TOOL_CONSUMER,
            Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false));
    reader =
        new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  public ConsumerGroupLag(String bootstrapServers) {
    this(KafkaConnection.to(bootstrapServers));
  }

  /** Committed records of {@code topic} after {@code group}'s committed offsets. */
  public long unread(String group, String topic) throws Exception {
    var partitions =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(30, TimeUnit.SECONDS)
            .get(topic)
            .partitions();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(
        p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    var ends =
        admin
            .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
            .all()
            .get(30, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
    long unread = 0;
    for (var end : ends.entrySet()) {
      TopicPartition partition = end.getKey();
      long from = committed.containsKey(partition) ? committed.get(partition).offset() : 0;
      // Nothing past the committed offset but markers: 0 without reading (the common case).
      long to = end.getValue().offset();
      if (to - from > COUNT_BY_READING_UP_TO) {
        unread += to - from;
      } else if (from < to) {
        unread += countRecords(partition, from, to);
      }
    }
    return unread;
  }

  private long countRecords(TopicPartition partition, long from, long end) {
    reader.assign(List.of(partition));
    reader.seek(partition, from);
    long count = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (reader.position(partition) < end && System.nanoTime() < deadline) {
      count += reader.poll(Duration.ofMillis(200)).count();
    }
    return count;
  }

  @Override
  public void close() {
    reader.close();
    admin.close();
  }
}
