package tally.bench;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import tally.connectors.kafka.KafkaInputRecord;
import tally.connectors.kafka.KafkaSinks;
import tally.connectors.kafka.OutboundRecord;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerJobOptions;
import tally.jobs.ledger.LedgerTopology;

/**
 * The ledger topology proposed for {@code jobs/ledger} after profiling, here so the bench can
 * measure it next to the committed one:
 *
 * <pre>
 * committed: [source, decode] --keyBy(accountId)--> [apply, encode balances, encode alerts] -> [encode DLQ] -> [sink]
 * proposed:  [source] --keyBy(record key)--> [decode, validate, apply, encode, sink]
 * </pre>
 *
 * Only raw bytes cross the shuffle (no Avro re-serialisation of the decoded transaction), and the
 * sink has one input, so it chains: two tasks instead of four, no serialisation between the
 * ledger and the sink. Keying by the record key keys valid records by their accountId (rule 2
 * requires key = accountId), so state stays where a savepoint of the committed job put it; the
 * operator uids {@code ledger-apply} and {@code ledger-kafka-sink} are kept.
 */
final class FusedLedgerJob {
  private FusedLedgerJob() {}

  static void define(StreamExecutionEnvironment env, LedgerJobOptions options) {
    LedgerJob.verify(options);
    LedgerJob.readTransactions(env, options)
        .keyBy(FusedLedgerJob::keyOf, Types.STRING)
        .process(new FusedLedgerFunction(options.dedupRetention, options.topicOptions.balances, options.topicOptions.alerts,
            options.topicOptions.dlq), TypeInformation.of(OutboundRecord.class))
        .uid(LedgerTopology.APPLY_UID)
        .name("Decode, validate, apply ledger rules, encode")
        .sinkTo(KafkaSinks.outbound(options.kafka.bootstrapServers(), options.outputTopics(),
            options.runtime.delivery.guarantee(), options.identity.transactionalIdPrefix,
            options.runtime.transactionTimeout, java.util.Map.of()))
        .uid(LedgerJob.SINK_UID)
        .name("Kafka: " + String.join(", ", options.outputTopics()));
  }

  /** The record key as text; a record without key goes to key "" (and is rejected as invalid). */
  static String keyOf(KafkaInputRecord record) {
    return record.key == null ? "" : new String(record.key, StandardCharsets.UTF_8);
  }
}
