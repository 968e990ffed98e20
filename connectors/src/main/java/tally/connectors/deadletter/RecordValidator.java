package tally.connectors.deadletter;

import java.io.Serializable;
import tally.connectors.kafka.KafkaInputRecord;

/** Stateless checks of one decoded value; the job supplies its business rules. */
@FunctionalInterface
public interface RecordValidator<T> extends Serializable {

  /** Null when the value is acceptable, else why not. */
  Rejection validate(T value, KafkaInputRecord source);

  /** For records with no rules beyond being decodable. */
  static <T> RecordValidator<T> acceptAll() {
    return (value, source) -> null;
  }

  /** A reason code for the {@code tally.error} header and a sentence naming the field. */
  record Rejection(String reason, String detail) {}
}
