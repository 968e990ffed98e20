package tally.connectors.kafka;

import java.nio.charset.StandardCharsets;

/**
 * One record as read from Kafka: raw key and value bytes plus where it came from. Kept raw so a
 * record that cannot be used can be dead-lettered with its bytes unchanged. A Flink POJO.
 */
public class KafkaInputRecord {
  public byte[] key;
  public byte[] value;
  public String topic;
  public int partition;
  public long offset;
  public long timestamp;

  public KafkaInputRecord() {}

  public KafkaInputRecord(
      byte[] key, byte[] value, String topic, int partition, long offset, long timestamp) {
    this.key = key;
    this.value = value;
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
  }

  /** The key as UTF-8 text, or null when the record has no key. */
  public String keyAsString() {
    return key == null ? null : new String(key, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
