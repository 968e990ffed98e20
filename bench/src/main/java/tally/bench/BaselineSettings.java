package tally.bench;

import java.util.List;
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

  /** Flink's full (not partitioned) index and filters, as {@code key=value}. */
  static final List<String> FULL_INDEX_FILTERS =
      List.of("state.backend.rocksdb.memory.partitioned-index-filters=false");

  /** Flink's RocksDB level sizes: a 256 MiB first level of 64 MiB files. */
  static final List<String> FLINK_LEVEL_SIZES =
      List.of(
          "state.backend.rocksdb.compaction.level.max-size-level-base=256mb",
          "state.backend.rocksdb.compaction.level.target-file-size-base=64mb");

  private BaselineSettings() {}

  static void revert(Configuration conf) {
    conf.set(PipelineOptions.OBJECT_REUSE, false);
    conf.setString("state.backend.rocksdb.use-bloom-filter", "false");
    for (List<String> settings : List.of(FULL_INDEX_FILTERS, FLINK_LEVEL_SIZES)) {
      for (String setting : settings) {
        String[] keyValue = setting.split("=", 2);
        conf.setString(keyValue[0], keyValue[1]);
      }
    }
  }

  static void define(StreamExecutionEnvironment env, LedgerJobOptions options) {
    LedgerJob.verify(options, options.runtime.configure(env));
    LedgerJob.writeOutputs(
        LedgerTopology.build(LedgerJob.readTransactions(env, options), options.dedupRetention),
        options,
        PRODUCER);
  }
}
