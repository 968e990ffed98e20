package tally.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tally.jobs.ledger.TestTransactions.decoded;
import static tally.jobs.ledger.TestTransactions.txn;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.GenericRecordAvroTypeInfo;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import tally.connectors.deadletter.Decoded;
import tally.schemas.BalanceUpdate;
import tally.schemas.Transaction;
import tally.schemas.state.AccountState;

/**
 * The ledger's per-account state is an Avro record that evolves across savepoints: state written by
 * an earlier release (a committed fixture, see {@link LedgerStateFixtures}) restores into today's
 * schema, and an incompatible change fails at restore instead of losing data.
 */
class LedgerStateEvolutionTest {

  @Test
  void restoresAccountStateWrittenWithSchemaV1AndContinues() throws Exception {
    try (var harness = LedgerStateFixtures.harness()) {
      harness.initializeState(LedgerStateFixtures.read(LedgerStateFixtures.ACCOUNT_STATE_V1));
      harness.open();

      AccountState restored = accountState(harness, "acct-1");
      assertThat(restored.getCurrency()).isEqualTo("EUR");
      assertThat(restored.getBalanceCents()).isEqualTo(700);
      assertThat(restored.getSeq()).isEqualTo(2);
      assertThat(restored.getDeadLetteredCount())
          .as("field added in v2 takes its default")
          .isZero();

      harness.processElement(decoded(txn("t2", "acct-1", -300, "EUR")), 0L); // remembered: dropped
      harness.processElement(decoded(txn("t4", "acct-1", 10, "EUR")), 0L);
      harness.processElement(decoded(txn("t5", "acct-2", 10, "GBP")), 0L); // USD account

      assertThat(harness.extractOutputValues())
          .extracting(
              BalanceUpdate::getTxnId, BalanceUpdate::getSeq, BalanceUpdate::getBalanceCents)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("t4", 3L, 710L));
      assertThat(accountState(harness, "acct-2").getDeadLetteredCount()).isEqualTo(1);
    }
  }

  @Test
  void refusesToRestoreIntoAnIncompatibleStateSchema() throws Exception {
    // balanceCents turned into a string: Avro cannot read the stored longs into it.
    Schema incompatible =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "AccountState", "namespace": "tally.schemas.state", "fields": [
                  {"name": "currency", "type": "string"},
                  {"name": "balanceCents", "type": "string"},
                  {"name": "seq", "type": "long"}]}\
                """);
    KeyedOneInputStreamOperatorTestHarness<String, Decoded<Transaction>, BalanceUpdate> harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new IncompatibleLedger(incompatible)),
            d -> d.value.getAccountId(),
            Types.STRING);
    harness.setStateBackend(new org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend());
    harness.initializeState(LedgerStateFixtures.read(LedgerStateFixtures.ACCOUNT_STATE_V1));

    assertThatThrownBy(
            () -> {
              harness.open();
              harness.processElement(decoded(txn("t9", "acct-1", 1, "EUR")), 0L);
            })
        .hasStackTraceContaining("incompatible");
    harness.close();
  }

  private static AccountState accountState(
      KeyedOneInputStreamOperatorTestHarness<String, ?, ?> harness, String account)
      throws Exception {
    var backend = harness.getOperator().getKeyedStateBackend();
    backend.setCurrentKey(account);
    ValueState<AccountState> state =
        backend.getPartitionedState(
            VoidNamespace.INSTANCE,
            VoidNamespaceSerializer.INSTANCE,
            LedgerFunction.accountStateDescriptor());
    return state.value();
  }

  /** A would-be upgrade that re-registers the account state with an incompatible schema. */
  private static final class IncompatibleLedger
      extends KeyedProcessFunction<String, Decoded<Transaction>, BalanceUpdate> {
    private final String schema;
    private transient ValueState<GenericRecord> account;

    IncompatibleLedger(Schema schema) {
      this.schema = schema.toString();
    }

    @Override
    public void open(OpenContext context) {
      account =
          getRuntimeContext()
              .getState(
                  new ValueStateDescriptor<>(
                      "account", new GenericRecordAvroTypeInfo(new Schema.Parser().parse(schema))));
    }

    @Override
    public void processElement(Decoded<Transaction> in, Context ctx, Collector<BalanceUpdate> out)
        throws Exception {
      account.value();
    }
  }
}
