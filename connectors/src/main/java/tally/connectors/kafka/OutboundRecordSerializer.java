package tally.connectors.kafka;

import java.util.List;
import java.util.Optional;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Turns an {@link OutboundRecord} into a producer record for its own topic. It names the topics it
 * may write: the POOLING transaction strategy uses them to find this sink's lingering transactions
 * on recovery.
 *
 * <p>The Kafka timestamp is the Flink record's timestamp ({@link Timestamps#FROM_RECORD}) or left
 * to the producer, i.e. the time of writing ({@link Timestamps#WRITE_TIME}). Event-time jobs need
 * the latter: their records carry event time, and a record stamped with last January's event time
 * is deleted by the topic's time retention minutes after it was committed.
 */
public final class OutboundRecordSerializer
    implements KafkaRecordSerializationSchema<OutboundRecord>, KafkaDatasetFacetProvider {
  private static final long serialVersionUID = 1L;

  /** Which Kafka timestamp an output record gets. */
  public enum Timestamps {
    /**
     * The Flink record's timestamp: for a job without event time, the input record's Kafka
     * timestamp.
     */
    FROM_RECORD,
    /** None given: the producer stamps the time of writing. */
    WRITE_TIME
  }

  private final List<String> topics;
  private final Timestamps timestamps;

  public OutboundRecordSerializer(List<String> topics, Timestamps timestamps) {
    this.topics = List.copyOf(topics);
    this.timestamps = timestamps;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      OutboundRecord record, KafkaSinkContext context, Long timestamp) {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < record.headerKeys.length; i++) {
      headers.add(record.headerKeys[i], record.headerValues[i]);
    }
    Long kafkaTimestamp = timestamps == Timestamps.FROM_RECORD ? timestamp : null;
    return new ProducerRecord<>(
        record.topic, null, kafkaTimestamp, record.key, record.value, headers);
  }

  @Override
  public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
    return Optional.of(
        new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(topics)));
  }
}
