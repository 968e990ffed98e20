package tally.connectors.deadletter;

import tally.connectors.kafka.KafkaInputRecord;

/**
 * A decoded, validated value together with the raw record it came from, so a later stage that
 * rejects it (for a reason that needs state) can still dead-letter the original bytes. A Flink
 * POJO.
 */
public class Decoded<T> {
  public T value;
  public KafkaInputRecord source;

  public Decoded() {}

  public Decoded(T value, KafkaInputRecord source) {
    this.value = value;
    this.source = source;
  }

  public DeadLetter reject(String reason, String detail) {
    return DeadLetter.of(source, reason, detail);
  }
}
