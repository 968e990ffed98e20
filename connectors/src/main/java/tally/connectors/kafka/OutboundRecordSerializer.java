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
 * Turns an {@link OutboundRecord} into a producer record for its own topic. It names the topics
 * it may write: the POOLING transaction strategy uses them to find this sink's lingering
 * transactions on recovery.
 */
public final class OutboundRecordSerializer
    implements KafkaRecordSerializationSchema<OutboundRecord>, KafkaDatasetFacetProvider {
  private static final long serialVersionUID = 1L;

  private final List<String> topics;

  public OutboundRecordSerializer(List<String> topics) {
    this.topics = List.copyOf(topics);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      OutboundRecord record, KafkaSinkContext context, Long timestamp) {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < record.headerKeys.length; i++) {
      headers.add(record.headerKeys[i], record.headerValues[i]);
    }
    return new ProducerRecord<>(record.topic, null, timestamp, record.key, record.value, headers);
  }

  @Override
  public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
    return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(topics)));
  }
}
