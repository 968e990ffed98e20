package tally.bench;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerConfig;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerJobOptions;
import tally.jobs.ledger.LedgerTopology;

/**
 * The job's settings before the profile-driven changes, for a side-by-side before/after: no object
 * reuse, no RocksDB bloom filter, Flink's RocksDB index and level sizes, Kafka's default producer
 * batching. Same topology as {@link LedgerJob}.
 */
final class BaselineSettings {
  /** Kafka's producer defaults, which the sink used before. */
  static final Map<String, String> PRODUCER =
      Map.of(
          ProducerConfig.BATCH_SIZE_CONFIG, "16384",
          ProducerConfig.LINGER_MS_CONFIG, "5");

  private BaselineSettings() {}

  static void revert(Configuration conf) {
    conf.set(PipelineOptions.OBJECT_REUSE, false);
    conf.setString("state.backend.rocksdb.use-bloom-filter", "false");
    conf.setString("state.backend.rocksdb.memory.partitioned-index-filters", "false");
    conf.setString("state.backend.rocksdb.compaction.level.max-size-level-base", "256mb");
    conf.setString("state.backend.rocksdb.compaction.level.target-file-size-base", "64mb");
  }

  static void define(StreamExecutionEnvironment env, LedgerJobOptions options) {
    LedgerJob.verify(options, options.runtime.configure(env));
    LedgerJob.writeOutputs(
        LedgerTopology.build(LedgerJob.readTransactions(env, options), options.dedupRetention),
        options,
        PRODUCER);
  }
}
