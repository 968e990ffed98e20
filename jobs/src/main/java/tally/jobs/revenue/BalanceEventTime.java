package tally.jobs.revenue;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.avro.UndecodableException;
import tally.connectors.kafka.KafkaInputRecord;
import tally.schemas.BalanceUpdate;

/**
 * Event time of a raw balance-update record: its {@code eventTime} field. Assigned in the source so
 * watermarks are tracked per Kafka partition. A record that does not decode keeps the Kafka
 * timestamp; it is dead-lettered right after.
 */
final class BalanceEventTime implements SerializableTimestampAssigner<KafkaInputRecord> {
  private static final long serialVersionUID = 1L;
  private final AvroSingleObjectSerde<BalanceUpdate> serde =
      AvroSingleObjectSerde.forType(BalanceUpdate.class);

  @Override
  public long extractTimestamp(KafkaInputRecord record, long kafkaTimestamp) {
    try {
      return serde.decode(record.value).getEventTime().toEpochMilli();
    } catch (UndecodableException e) {
      return kafkaTimestamp;
    }
  }
}
