package tally.tooling.bench;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerConfig;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.kafka.AvroToOutbound;
import tally.connectors.kafka.KafkaSinks;
import tally.connectors.kafka.OutboundRecord;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerJobOptions;
import tally.jobs.ledger.LedgerOutputs;
import tally.jobs.ledger.LedgerTopology;
import tally.schemas.BalanceUpdate;
import tally.schemas.OverdraftAlert;

/**
 * The job's settings before the profile-driven changes, for a side-by-side before/after: no
 * object reuse, no RocksDB bloom filter, Kafka's default producer batching. Same topology as
 * {@link LedgerJob} (its output wiring repeated here only to pass the old producer settings).
 */
final class BaselineSettings {
  /** Kafka's producer defaults, which the sink used before. */
  static final Map<String, String> PRODUCER = Map.of(
      ProducerConfig.BATCH_SIZE_CONFIG, "16384",
      ProducerConfig.LINGER_MS_CONFIG, "5");

  private BaselineSettings() {}

  static void revert(Configuration conf) {
    conf.set(PipelineOptions.OBJECT_REUSE, false);
    conf.setString("state.backend.rocksdb.use-bloom-filter", "false");
  }

  static void define(StreamExecutionEnvironment env, LedgerJobOptions options) {
    LedgerJob.verify(options);
    LedgerOutputs outputs = LedgerTopology.build(LedgerJob.readTransactions(env, options), options.dedupRetention);
    DataStream<OutboundRecord> balances = outputs.balances()
        .map(new AvroToOutbound<>(options.balancesTopic, AvroSingleObjectSerde.forType(BalanceUpdate.class),
            BalanceUpdate::getAccountId))
        .name("Encode balance updates");
    DataStream<OutboundRecord> alerts = outputs.alerts()
        .map(new AvroToOutbound<>(options.alertsTopic, AvroSingleObjectSerde.forType(OverdraftAlert.class),
            OverdraftAlert::getAccountId))
        .name("Encode overdraft alerts");
    String dlqTopic = options.dlqTopic;
    DataStream<OutboundRecord> deadLetters =
        outputs.deadLetters().map(letter -> letter.toOutbound(dlqTopic)).name("Encode dead letters");
    balances.union(alerts, deadLetters)
        .sinkTo(KafkaSinks.outbound(options.bootstrapServers, options.outputTopics(),
            options.runtime.delivery.guarantee(), options.transactionalIdPrefix, options.runtime.transactionTimeout,
            PRODUCER))
        .uid(LedgerJob.SINK_UID)
        .name("Kafka: " + String.join(", ", options.outputTopics()));
  }
}
