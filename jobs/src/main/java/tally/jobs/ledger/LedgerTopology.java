package tally.jobs.ledger;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.deadletter.DecodeAndRoute;
import tally.connectors.deadletter.Decoded;
import tally.connectors.kafka.KafkaInputRecord;
import tally.schemas.BalanceUpdate;
import tally.schemas.Transaction;

/**
 * The ledger job's processing, independent of where records come from and go to: decode and
 * validate (rules 1-2), key by account, apply (rules 3-6). Tests feed it any source and attach any
 * sink.
 */
public final class LedgerTopology {

  /** Stable operator ids: savepoints map state to operators by these, never change them. */
  public static final String DECODE_UID = "ledger-decode";

  public static final String APPLY_UID = "ledger-apply";

  private static final TypeInformation<Decoded<Transaction>> DECODED =
      TypeInformation.of(new TypeHint<>() {});

  private LedgerTopology() {}

  public static LedgerOutputs build(
      DataStream<KafkaInputRecord> transactions, Duration dedupRetention) {
    return build(transactions, new LedgerFunction(dedupRetention));
  }

  /**
   * As {@link #build(DataStream, Duration)} with a given rules function (upgrade tests pass an
   * older release's).
   */
  public static LedgerOutputs build(
      DataStream<KafkaInputRecord> transactions, LedgerFunction rules) {
    SingleOutputStreamOperator<Decoded<Transaction>> decoded =
        transactions
            .process(
                new DecodeAndRoute<>(
                    AvroSingleObjectSerde.forType(Transaction.class), new TransactionRules()),
                DECODED)
            // Same parallelism as the input keeps the edge a forward (chained) one: a rebalance
            // here would reorder an account's transactions before they are keyed.
            .setParallelism(transactions.getParallelism())
            .uid(DECODE_UID)
            .name("Decode and validate transactions");

    SingleOutputStreamOperator<BalanceUpdate> balances =
        decoded
            .keyBy(LedgerTopology::accountOf, Types.STRING)
            .process(rules)
            .uid(APPLY_UID)
            .name("Apply ledger rules");

    return new LedgerOutputs(
        balances,
        balances.getSideOutput(LedgerFunction.OVERDRAFT_ALERTS),
        decoded
            .getSideOutput(DecodeAndRoute.DEAD_LETTERS)
            .union(balances.getSideOutput(LedgerFunction.DEAD_LETTERS)));
  }

  private static String accountOf(Decoded<Transaction> decoded) {
    return decoded.value.getAccountId();
  }
}
