package tally.connectors.kafka;

import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import tally.connectors.kafka.KafkaClientProperties.ClientKind;

/** Kafka sources configured the one way Tally reads topics. */
public final class KafkaSources {
  private KafkaSources() {}

  /**
   * A source of raw records from {@code topic}.
   *
   * <ul>
   *   <li>{@code read_committed}: the KafkaSource does not set it, and upstream jobs write
   *       transactionally; reading uncommitted data would see aborted output.
   *   <li>Offsets live in Flink checkpoints (the source of truth for exactly-once); they are also
   *       committed to the group on each completed checkpoint, for lag monitoring and so a job
   *       started without state resumes where the group left off instead of re-reading the topic.
   *   <li>No committed offset yet: start from the earliest record.
   * </ul>
   */
  public static KafkaSource<KafkaInputRecord> rawRecords(
      KafkaConnection kafka, String topic, String groupId) {
    // The user's client properties (security, timeouts, ...) first; a value contradicting one of
    // Tally's own settings below is refused with a one-line reason instead of applied or dropped.
    Properties properties =
        kafka.config(
            ClientKind.SOURCE_CONSUMER,
            Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                "commit.offsets.on.checkpoint",
                "true"),
            // Notice new partitions of the input topic without a restart.
            Map.of("partition.discovery.interval.ms", "60000"));
    return KafkaSource.<KafkaInputRecord>builder()
        .setProperties(properties)
        .setBootstrapServers(kafka.bootstrapServers())
        .setTopics(topic)
        .setGroupId(groupId)
        .setClientIdPrefix(groupId)
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new KafkaInputRecordDeserializer())
        .build();
  }
}
