package tally.connectors.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Kafka sinks configured the one way Tally writes topics. */
public final class KafkaSinks {
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
   * @param extraProperties producer properties applied last (they override the ones above)
   */
  public static KafkaSink<OutboundRecord> outbound(
      String bootstrapServers,
      List<String> topics,
      DeliveryGuarantee guarantee,
      String transactionalIdPrefix,
      Duration transactionTimeout,
      Map<String, String> extraProperties) {
    return outbound(
        bootstrapServers,
        topics,
        guarantee,
        transactionalIdPrefix,
        transactionTimeout,
        extraProperties,
        OutboundRecordSerializer.Timestamps.FROM_RECORD);
  }

  /** As above, with the Kafka timestamps of the output records chosen by {@code timestamps}. */
  public static KafkaSink<OutboundRecord> outbound(
      String bootstrapServers,
      List<String> topics,
      DeliveryGuarantee guarantee,
      String transactionalIdPrefix,
      Duration transactionTimeout,
      Map<String, String> extraProperties,
      OutboundRecordSerializer.Timestamps timestamps) {
    var builder =
        KafkaSink.<OutboundRecord>builder()
            .setBootstrapServers(bootstrapServers)
            .setRecordSerializer(new OutboundRecordSerializer(topics, timestamps))
            .setDeliveryGuarantee(guarantee)
            .setProperty(ProducerConfig.ACKS_CONFIG, "all")
            .setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
            // Fewer, fuller batches: less work per record in the producer and the broker. The extra
            // linger is far below the checkpoint interval that bounds exactly-once latency anyway.
            .setProperty(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(BATCH_SIZE_BYTES))
            .setProperty(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(LINGER_MS));
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      builder
          .setTransactionalIdPrefix(transactionalIdPrefix)
          .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
          .setProperty(
              ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
              Long.toString(transactionTimeout.toMillis()));
    }
    extraProperties.forEach(builder::setProperty);
    return builder.build();
  }
}
