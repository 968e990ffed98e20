package tally.connectors.kafka;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Passes records through untouched; decoding happens in the job so failures can be routed. */
public final class KafkaInputRecordDeserializer
    implements KafkaRecordDeserializationSchema<KafkaInputRecord> {
  private static final long serialVersionUID = 1L;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaInputRecord> out) {
    out.collect(
        new KafkaInputRecord(
            record.key(),
            record.value(),
            record.topic(),
            record.partition(),
            record.offset(),
            record.timestamp()));
  }

  @Override
  public TypeInformation<KafkaInputRecord> getProducedType() {
    return TypeInformation.of(KafkaInputRecord.class);
  }
}
