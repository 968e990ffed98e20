package tally.kafka.local;

/**
 * A Kafka cluster did not come up; the message says why and, for the embedded broker, quotes its
 * logs.
 */
public class KafkaStartException extends RuntimeException {

  public KafkaStartException(String message) {
    super(message);
  }

  public KafkaStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
