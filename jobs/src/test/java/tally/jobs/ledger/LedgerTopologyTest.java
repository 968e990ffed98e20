package tally.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static tally.jobs.ledger.TestTransactions.record;
import static tally.jobs.ledger.TestTransactions.txn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tally.connectors.deadletter.DeadLetter;
import tally.connectors.kafka.KafkaInputRecord;
import tally.jobs.common.JobCommandLine;
import tally.jobs.common.RuntimeOptions;
import tally.schemas.BalanceUpdate;
import tally.schemas.OverdraftAlert;

/**
 * The whole ledger topology on a Flink MiniCluster with the production configuration (RocksDB,
 * checkpointing, no generic types), fed from an in-memory source: decode, validate, key by account
 * across two parallel subtasks, apply.
 */
class LedgerTopologyTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void routesEveryRecordToExactlyOneOutput() throws Exception {
    List<KafkaInputRecord> input = new ArrayList<>();
    input.add(record(txn("t1", "acct-1", 1_000, "EUR")));
    input.add(record(txn("t2", "acct-2", -500, "USD"))); // overdraft from 0
    input.add(record(txn("t3", "acct-1", -1_500, "EUR"))); // overdraft
    input.add(record(txn("t3", "acct-1", -1_500, "EUR"))); // exact duplicate: dropped
    input.add(record(txn("t3", "acct-1", -1_499, "EUR"))); // conflicting duplicate
    input.add(record(txn("t4", "acct-1", 10, "USD"))); // currency mismatch
    input.add(record("acct-3", new byte[] {1, 2, 3})); // undecodable
    input.add(
        record(
            "acct-9",
            TestTransactions.SERDE.encode(txn("t5", "acct-3", 10, "EUR")))); // key != account
    input.add(record(txn("t6", "acct-2", 0, "USD"))); // zero amount
    input.add(record(txn("t7", "acct-2", 700, "USD")));

    RuntimeOptions runtime = JobCommandLine.parse(new RuntimeOptions());
    runtime.parallelism.parallelism = 2;
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(runtime.toConfiguration());
    var source =
        env.fromData(
                TypeInformation.of(KafkaInputRecord.class), input.toArray(KafkaInputRecord[]::new))
            .setParallelism(1); // one ordered "partition"
    LedgerOutputs outputs = LedgerTopology.build(source, Duration.ofDays(7));
    CloseableIterator<BalanceUpdate> balances = outputs.balances().collectAsync();
    CloseableIterator<OverdraftAlert> alerts = outputs.alerts().collectAsync();
    CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters().collectAsync();
    env.execute("ledger-topology-test");

    List<BalanceUpdate> balanceList = drain(balances);
    assertThat(balanceList)
        .extracting(BalanceUpdate::getTxnId, BalanceUpdate::getSeq, BalanceUpdate::getBalanceCents)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("t1", 1L, 1_000L),
            org.assertj.core.groups.Tuple.tuple("t3", 2L, -500L),
            org.assertj.core.groups.Tuple.tuple("t2", 1L, -500L),
            org.assertj.core.groups.Tuple.tuple("t7", 2L, 200L));
    assertThat(drain(alerts))
        .extracting(OverdraftAlert::getTxnId)
        .containsExactlyInAnyOrder("t2", "t3");
    assertThat(drain(deadLetters))
        .extracting(letter -> letter.sourceOffset - input.get(0).offset, letter -> letter.reason)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(4L, RejectReason.CONFLICTING_DUPLICATE),
            org.assertj.core.groups.Tuple.tuple(5L, RejectReason.CURRENCY_MISMATCH),
            org.assertj.core.groups.Tuple.tuple(6L, RejectReason.UNDECODABLE),
            org.assertj.core.groups.Tuple.tuple(7L, RejectReason.INVALID),
            org.assertj.core.groups.Tuple.tuple(8L, RejectReason.INVALID));
  }

  private static <T> List<T> drain(CloseableIterator<T> iterator) throws Exception {
    List<T> items = new ArrayList<>();
    try (iterator) {
      iterator.forEachRemaining(items::add);
    }
    return items;
  }
}
