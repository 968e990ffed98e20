package tally.jobs.ledger;

import static tally.jobs.ledger.TestTransactions.decoded;
import static tally.jobs.ledger.TestTransactions.txn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import tally.connectors.deadletter.Decoded;
import tally.schemas.BalanceUpdate;
import tally.schemas.Transaction;

/**
 * Snapshots of the ledger operator's state written by earlier releases, kept in
 * src/test/resources/state-fixtures so every later build proves it can still restore them (the way
 * Flink's own migration tests work). Run {@link #main} once, on the release whose state layout is
 * being frozen, to write a new fixture:
 *
 * <pre>
 * mvn -B -q -pl jobs test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java --add-opens=java.base/java.util=ALL-UNNAMED ... \
 *   -cp jobs/target/test-classes:jobs/target/classes:$(cat jobs/cp.txt) tally.jobs.ledger.LedgerStateFixtures
 * </pre>
 *
 * Every fixture holds the same history: acct-1 (EUR) +1000 then -300 (balance 700, seq 2), acct-2
 * (USD) +50 (balance 50, seq 1).
 */
final class LedgerStateFixtures {
  static final Duration RETENTION = Duration.ofDays(7);
  static final String ACCOUNT_STATE_V1 = "state-fixtures/ledger-apply-account-state-v1.snapshot";

  private LedgerStateFixtures() {}

  static KeyedOneInputStreamOperatorTestHarness<String, Decoded<Transaction>, BalanceUpdate>
      harness() throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, Decoded<Transaction>, BalanceUpdate> harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new LedgerFunction(RETENTION)),
            d -> d.value.getAccountId(),
            Types.STRING);
    harness.setStateBackend(new EmbeddedRocksDBStateBackend()); // the production backend
    return harness;
  }

  static OperatorSubtaskState read(String fixture) throws Exception {
    return OperatorSnapshotUtil.readStateHandle(OperatorSnapshotUtil.getResourceFilename(fixture));
  }

  /** Writes the fixture for the state layout of the code this runs with. */
  public static void main(String[] args) throws Exception {
    Path target =
        Path.of(args.length > 0 ? args[0] : "jobs/src/test/resources/" + ACCOUNT_STATE_V1);
    try (var harness = harness()) {
      harness.open();
      harness.processElement(decoded(txn("t1", "acct-1", 1_000, "EUR")), 0L);
      harness.processElement(decoded(txn("t2", "acct-1", -300, "EUR")), 0L);
      harness.processElement(decoded(txn("t3", "acct-2", 50, "USD")), 0L);
      OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
      Files.createDirectories(target.getParent());
      OperatorSnapshotUtil.writeStateHandle(snapshot, target.toString());
      System.out.println("Wrote " + target);
    }
  }
}
