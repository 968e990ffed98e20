package tally.connectors.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.connectors.kafka.KafkaClientProperties.ClientKind;

/** Kafka sinks configured the one way Tally writes topics. */
public final class KafkaSinks {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSinks.class);

  /** Producer batch size (Kafka's default is 16 KiB). */
  public static final int BATCH_SIZE_BYTES = 128 * 1024;

  /** Producer linger (Kafka's default is 5 ms). */
  public static final int LINGER_MS = 10;

  private KafkaSinks() {}

  /**
   * A sink for {@link OutboundRecord}s, each going to its own topic among {@code topics}.
   *
   * <p>With {@link DeliveryGuarantee#EXACTLY_ONCE} the sink is a two-phase commit: records go into
   * a Kafka transaction that is pre-committed at the checkpoint barrier and committed when the
   * checkpoint completes. Its transactional ids are {@code <prefix>-<subtask>-<n>}: the prefix must
   * stay the same across restarts and upgrades of one job (so lingering transactions are found and
   * aborted) and differ between jobs. POOLING reuses a small set of ids instead of one per
   * checkpoint, which keeps the broker's transaction state small.
   *
   * @param transactionTimeout how long the broker keeps an open transaction before aborting it; it
   *     must cover checkpoint interval + checkpoint duration + the longest restart, and not exceed
   *     the broker's {@code transaction.max.timeout.ms} (checked by {@code StartupChecks})
   * @param tunables producer settings that replace Tally's batching defaults (benchmarks compare
   *     them); the user's client properties override both
   */
  public static KafkaSink<OutboundRecord> outbound(
      KafkaConnection kafka,
      List<String> topics,
      DeliveryGuarantee guarantee,
      String transactionalIdPrefix,
      Duration transactionTimeout,
      Map<String, String> tunables) {
    return outbound(
        kafka,
        topics,
        guarantee,
        transactionalIdPrefix,
        transactionTimeout,
        tunables,
        OutboundRecordSerializer.Timestamps.FROM_RECORD);
  }

  /** As above, with the Kafka timestamps of the output records chosen by {@code timestamps}. */
  public static KafkaSink<OutboundRecord> outbound(
      KafkaConnection kafka,
      List<String> topics,
      DeliveryGuarantee guarantee,
      String transactionalIdPrefix,
      Duration transactionTimeout,
      Map<String, String> tunables,
      OutboundRecordSerializer.Timestamps timestamps) {
    Map<String, Object> required = new LinkedHashMap<>();
    required.put(ProducerConfig.ACKS_CONFIG, "all");
    required.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      required.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, transactionTimeout.toMillis());
    }
    // Fewer, fuller batches: less work per record in the producer and the broker. The extra
    // linger is far below the checkpoint interval that bounds exactly-once latency anyway.
    Map<String, Object> batching = new LinkedHashMap<>();
    batching.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_SIZE_BYTES);
    batching.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
    batching.putAll(tunables);
    Properties config = kafka.config(ClientKind.SINK_PRODUCER, required, batching);
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      warnOnShortRequestTimeout(config);
    }
    var builder =
        KafkaSink.<OutboundRecord>builder()
            .setKafkaProducerConfig(config)
            .setBootstrapServers(kafka.bootstrapServers())
            .setRecordSerializer(new OutboundRecordSerializer(topics, timestamps))
            .setDeliveryGuarantee(guarantee);
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      builder
          .setTransactionalIdPrefix(transactionalIdPrefix)
          .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING);
    }
    return builder.build();
  }

  /**
   * A request timeout below Kafka's default is the user's choice, but a risky one for a
   * transactional producer: said once, at start-up.
   */
  private static void warnOnShortRequestTimeout(Properties config) {
    Object value = config.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);
    long timeoutMs;
    try {
      timeoutMs = value == null ? Long.MAX_VALUE : Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      return; // Kafka's own config check names the bad value
    }
    if (timeoutMs < KafkaClientProperties.REQUEST_TIMEOUT_SINK_MS) {
      LOG.warn(
          "The exactly-once sink's {}={} is below {} ms: after a network outage longer than it"
              + " between a TaskManager and a transaction coordinator, a stale InitProducerId can"
              + " land after its retry and abort a transaction that a completed checkpoint counted"
              + " on, losing its output without an error. Keep it at {} ms or above unless outages"
              + " that long cannot happen.",
          ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
          timeoutMs,
          KafkaClientProperties.REQUEST_TIMEOUT_SINK_MS,
          KafkaClientProperties.REQUEST_TIMEOUT_SINK_MS);
    }
  }

  /**
   * As above, for a job that may adopt state taken against another Kafka ({@code
   * allowForeignState}, the job's {@value SourceIdentityGuard#ALLOW_FOREIGN_STATE_OPTION}). With
   * {@link DeliveryGuarantee#EXACTLY_ONCE} the sink is an {@link ExactlyOnceKafkaSink}: its writer
   * closes without failing when a newer attempt fenced it (which otherwise takes the TaskManager
   * down during a failover), and with the option it drops the restored pending transactions the
   * live cluster does not hold instead of failing over on them for ever; otherwise the plain {@link
   * KafkaSink}. All have the same operators, uids and state.
   */
  public static Sink<OutboundRecord> outbound(
      KafkaConnection kafka,
      List<String> topics,
      DeliveryGuarantee guarantee,
      String transactionalIdPrefix,
      Duration transactionTimeout,
      Map<String, String> tunables,
      OutboundRecordSerializer.Timestamps timestamps,
      boolean allowForeignState) {
    KafkaSink<OutboundRecord> sink =
        outbound(
            kafka,
            topics,
            guarantee,
            transactionalIdPrefix,
            transactionTimeout,
            tunables,
            timestamps);
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      return new ExactlyOnceKafkaSink<>(sink, allowForeignState);
    }
    return sink;
  }
}
