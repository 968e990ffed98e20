package tally.testkit.audit;

import java.time.Duration;
import java.util.Objects;

/**
 * Where {@link LedgerAudit} reads and how long it waits.
 *
 * @param timeout how long to wait for the outputs to hold every expected record
 * @param settle after that, how long to keep reading for late extra records (0 = only up to the
 *     end offsets at that moment)
 */
public record AuditSettings(
    String bootstrapServers,
    String inputTopic,
    String balancesTopic,
    String alertsTopic,
    String dlqTopic,
    Duration timeout,
    Duration settle) {

  public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
  public static final String DEFAULT_INPUT_TOPIC = "tally.transactions";
  public static final String DEFAULT_BALANCES_TOPIC = "tally.balances";
  public static final String DEFAULT_ALERTS_TOPIC = "tally.alerts";
  public static final String DEFAULT_DLQ_TOPIC = "tally.dlq";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public AuditSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(inputTopic, "inputTopic");
    Objects.requireNonNull(balancesTopic, "balancesTopic");
    Objects.requireNonNull(alertsTopic, "alertsTopic");
    Objects.requireNonNull(dlqTopic, "dlqTopic");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(settle, "settle");
    if (timeout.isNegative() || settle.isNegative()) {
      throw new IllegalArgumentException("timeout and settle must not be negative");
    }
  }

  /** The spec's default topics on {@code bootstrapServers}, a 60 s timeout, no settle time. */
  public static AuditSettings defaults(String bootstrapServers) {
    return new AuditSettings(bootstrapServers, DEFAULT_INPUT_TOPIC, DEFAULT_BALANCES_TOPIC,
        DEFAULT_ALERTS_TOPIC, DEFAULT_DLQ_TOPIC, DEFAULT_TIMEOUT, Duration.ZERO);
  }

  public AuditSettings withInputTopic(String topic) {
    return new AuditSettings(bootstrapServers, topic, balancesTopic, alertsTopic, dlqTopic, timeout, settle);
  }

  public AuditSettings withBalancesTopic(String topic) {
    return new AuditSettings(bootstrapServers, inputTopic, topic, alertsTopic, dlqTopic, timeout, settle);
  }

  public AuditSettings withAlertsTopic(String topic) {
    return new AuditSettings(bootstrapServers, inputTopic, balancesTopic, topic, dlqTopic, timeout, settle);
  }

  public AuditSettings withDlqTopic(String topic) {
    return new AuditSettings(bootstrapServers, inputTopic, balancesTopic, alertsTopic, topic, timeout, settle);
  }

  public AuditSettings withTimeout(Duration timeout) {
    return new AuditSettings(bootstrapServers, inputTopic, balancesTopic, alertsTopic, dlqTopic, timeout, settle);
  }

  public AuditSettings withSettle(Duration settle) {
    return new AuditSettings(bootstrapServers, inputTopic, balancesTopic, alertsTopic, dlqTopic, timeout, settle);
  }
}
