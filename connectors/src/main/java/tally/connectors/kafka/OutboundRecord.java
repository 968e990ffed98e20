package tally.connectors.kafka;

import java.nio.charset.StandardCharsets;

/**
 * A record ready for Kafka: its topic, key, value and headers. One sink writes all of a job's
 * outputs as OutboundRecords, so everything a checkpoint covers commits in one transaction per
 * subtask. A Flink POJO (headers as parallel arrays so no Kryo fallback is needed).
 */
public class OutboundRecord {
  private static final String[] NO_HEADER_KEYS = new String[0];
  private static final byte[][] NO_HEADER_VALUES = new byte[0][];

  public String topic;
  public byte[] key;
  public byte[] value;
  public String[] headerKeys = NO_HEADER_KEYS;
  public byte[][] headerValues = NO_HEADER_VALUES;

  public OutboundRecord() {}

  public OutboundRecord(String topic, byte[] key, byte[] value) {
    this.topic = topic;
    this.key = key;
    this.value = value;
  }

  public static OutboundRecord keyedByString(String topic, String key, byte[] value) {
    return new OutboundRecord(topic, key.getBytes(StandardCharsets.UTF_8), value);
  }

  public OutboundRecord withHeaders(String[] keys, byte[][] values) {
    if (keys.length != values.length) {
      throw new IllegalArgumentException("header keys and values differ in length");
    }
    this.headerKeys = keys;
    this.headerValues = values;
    return this;
  }
}
