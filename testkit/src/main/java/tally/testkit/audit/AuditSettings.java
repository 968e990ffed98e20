package tally.testkit.audit;

import java.time.Duration;
import java.util.Objects;
import tally.connectors.kafka.KafkaConnection;
import tally.jobs.common.Topics;

/**
 * What the ledger audit reads and how long it waits.
 *
 * @param kafka the Kafka holding the topics, with the client settings to reach it
 * @param topics the input and the ledger's outputs ({@link Topics#ledger()})
 * @param timeout how long to wait for the job to catch up before reporting what is missing
 * @param settle after everything expected has arrived, how long to keep reading for extra records
 */
public record AuditSettings(
    KafkaConnection kafka, Topics topics, Duration timeout, Duration settle) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public AuditSettings {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(settle, "settle");
    if (timeout.isNegative() || settle.isNegative()) {
      throw new IllegalArgumentException("timeout and settle must not be negative");
    }
  }

  /** The contract's topics on {@code kafka}, a 60 s timeout, no settle time. */
  public static AuditSettings defaults(KafkaConnection kafka) {
    return new AuditSettings(kafka, Topics.DEFAULTS, DEFAULT_TIMEOUT, Duration.ZERO);
  }

  /** As {@link #defaults(KafkaConnection)} for a Kafka without client settings. */
  public static AuditSettings defaults(String bootstrapServers) {
    return defaults(KafkaConnection.to(bootstrapServers));
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public String inputTopic() {
    return topics.transactions();
  }

  public String balancesTopic() {
    return topics.balances();
  }

  public String alertsTopic() {
    return topics.alerts();
  }

  public String dlqTopic() {
    return topics.dlq();
  }

  public AuditSettings withTopics(Topics value) {
    return new AuditSettings(kafka, value, timeout, settle);
  }

  public AuditSettings withTimeout(Duration value) {
    return new AuditSettings(kafka, topics, value, settle);
  }

  public AuditSettings withSettle(Duration value) {
    return new AuditSettings(kafka, topics, timeout, value);
  }
}
