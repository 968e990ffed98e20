package tally.connectors.kafka;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Turns an {@link OutboundRecord} into a producer record for its own topic. */
public final class OutboundRecordSerializer implements KafkaRecordSerializationSchema<OutboundRecord> {
  private static final long serialVersionUID = 1L;

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      OutboundRecord record, KafkaSinkContext context, Long timestamp) {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < record.headerKeys.length; i++) {
      headers.add(record.headerKeys[i], record.headerValues[i]);
    }
    return new ProducerRecord<>(record.topic, null, timestamp, record.key, record.value, headers);
  }
}
