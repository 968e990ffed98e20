package tally.kafka.local;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Broker settings that make a one-node cluster behave for transactional tests, shared by every
 * provider. Without the replication factors and min ISRs of 1 {@code initTransactions()} hangs for
 * 60 s; the other values only make a small broker start and react faster (see docs/platform.md).
 */
public final class SingleBrokerDefaults {

  public static final String TRANSACTION_STATE_LOG_PARTITIONS =
      "transaction.state.log.num.partitions";

  private SingleBrokerDefaults() {}

  /** A fresh, mutable, ordered copy. */
  public static Map<String, String> properties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("offsets.topic.replication.factor", "1");
    // Testcontainers' KafkaContainer uses 1 as well: the same broker behaviour on both providers.
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    // 1 partition cuts initTransactions() from 1.8 s to 0.3 s on a fresh broker.
    p.put(TRANSACTION_STATE_LOG_PARTITIONS, "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // The default 128 MiB cleaner buffer is allocated at start-up; 2 MiB is plenty for tests.
    p.put("log.cleaner.dedupe.buffer.size", "2097152");
    p.put("num.partitions", "4");
    p.put("auto.create.topics.enable", "false");
    // Kafka's default cap (15 min); a producer's transaction.timeout.ms must not exceed it.
    p.put("transaction.max.timeout.ms", "900000");
    return p;
  }
}
