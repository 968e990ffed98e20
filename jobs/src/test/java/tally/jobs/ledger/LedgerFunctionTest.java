package tally.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static tally.jobs.ledger.TestTransactions.decoded;
import static tally.jobs.ledger.TestTransactions.txn;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tally.connectors.deadletter.DeadLetter;
import tally.connectors.deadletter.Decoded;
import tally.schemas.BalanceUpdate;
import tally.schemas.OverdraftAlert;
import tally.schemas.Transaction;

/** Rules 3-6 of the spec on Flink's keyed operator harness. */
class LedgerFunctionTest {
  private static final Duration RETENTION = Duration.ofDays(7);

  private KeyedOneInputStreamOperatorTestHarness<String, Decoded<Transaction>, BalanceUpdate>
      harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = newHarness();
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, Decoded<Transaction>, BalanceUpdate>
      newHarness() throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new LedgerFunction(RETENTION)),
        d -> d.value.getAccountId(),
        Types.STRING);
  }

  private void apply(Transaction txn) throws Exception {
    harness.processElement(decoded(txn), 0L);
  }

  private List<BalanceUpdate> balances() {
    return harness.extractOutputValues();
  }

  private List<OverdraftAlert> alerts() {
    return harness.getSideOutput(LedgerFunction.OVERDRAFT_ALERTS) == null
        ? List.of()
        : harness.getSideOutput(LedgerFunction.OVERDRAFT_ALERTS).stream()
            .map(StreamRecord::getValue)
            .toList();
  }

  private List<DeadLetter> deadLetters() {
    return harness.getSideOutput(LedgerFunction.DEAD_LETTERS) == null
        ? List.of()
        : harness.getSideOutput(LedgerFunction.DEAD_LETTERS).stream()
            .map(StreamRecord::getValue)
            .toList();
  }

  @Test
  void appliesTransactionsInOrderWithGaplessSeqAndRunningBalance() throws Exception {
    apply(txn("t1", "acct-1", 10_000, "EUR"));
    apply(txn("t2", "acct-1", -2_500, "EUR"));
    apply(txn("t3", "acct-2", 700, "USD"));
    apply(txn("t4", "acct-1", 40, "EUR"));

    assertThat(balances())
        .extracting(
            BalanceUpdate::getAccountId,
            BalanceUpdate::getTxnId,
            BalanceUpdate::getSeq,
            BalanceUpdate::getBalanceCents)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("acct-1", "t1", 1L, 10_000L),
            org.assertj.core.groups.Tuple.tuple("acct-1", "t2", 2L, 7_500L),
            org.assertj.core.groups.Tuple.tuple("acct-2", "t3", 1L, 700L),
            org.assertj.core.groups.Tuple.tuple("acct-1", "t4", 3L, 7_540L));
    BalanceUpdate debit = balances().get(1);
    Transaction source = txn("t2", "acct-1", -2_500, "EUR");
    assertThat(debit.getAmountCents()).isEqualTo(-2_500);
    assertThat(debit.getCurrency()).isEqualTo("EUR");
    assertThat(debit.getMerchantId()).isEqualTo(source.getMerchantId());
    assertThat(debit.getEventTime()).isEqualTo(source.getEventTime());
    assertThat(alerts()).isEmpty();
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void dropsAnExactDuplicateWithoutOutput() throws Exception {
    apply(txn("t1", "acct-1", 500, "EUR"));
    apply(txn("t1", "acct-1", 500, "EUR"));
    apply(txn("t2", "acct-1", 500, "EUR"));

    assertThat(balances())
        .extracting(BalanceUpdate::getSeq, BalanceUpdate::getBalanceCents)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, 500L),
            org.assertj.core.groups.Tuple.tuple(2L, 1_000L));
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void deadLettersAConflictingDuplicateWithItsOriginalBytes() throws Exception {
    apply(txn("t1", "acct-1", 500, "EUR"));
    Decoded<Transaction> conflicting = decoded(txn("t1", "acct-1", 900, "EUR"));
    harness.processElement(conflicting, 0L);

    assertThat(balances()).hasSize(1);
    assertThat(deadLetters())
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.reason).isEqualTo(RejectReason.CONFLICTING_DUPLICATE);
              assertThat(letter.detail).contains("t1");
              assertThat(letter.value).isEqualTo(conflicting.source.value);
              assertThat(letter.key).isEqualTo(conflicting.source.key);
              assertThat(letter.sourceOffset).isEqualTo(conflicting.source.offset);
            });
  }

  @Test
  void deadLettersAnotherCurrencyBeforeCheckingForDuplicates() throws Exception {
    apply(txn("t1", "acct-1", 500, "EUR"));
    apply(txn("t2", "acct-1", 500, "USD"));
    apply(txn("t1", "acct-1", 500, "USD")); // same txnId, other currency: rule 3 comes first

    assertThat(balances()).hasSize(1);
    assertThat(deadLetters())
        .extracting(l -> l.reason)
        .containsExactly(RejectReason.CURRENCY_MISMATCH, RejectReason.CURRENCY_MISMATCH);
    assertThat(deadLetters().get(0).detail).contains("EUR").contains("USD");
  }

  @Test
  void rejectedTransactionsDoNotAdvanceSeq() throws Exception {
    apply(txn("t1", "acct-1", 500, "EUR"));
    apply(txn("t2", "acct-1", 500, "GBP"));
    apply(txn("t1", "acct-1", 1, "EUR"));
    apply(txn("t3", "acct-1", 100, "EUR"));

    assertThat(balances()).extracting(BalanceUpdate::getSeq).containsExactly(1L, 2L);
    assertThat(balances().get(1).getBalanceCents()).isEqualTo(600);
  }

  @Test
  void alertsOncePerCrossingFromNonNegativeToNegative() throws Exception {
    apply(txn("t1", "acct-1", 100, "EUR")); // 100
    apply(txn("t2", "acct-1", -150, "EUR")); // -50: crossing
    apply(txn("t3", "acct-1", -30, "EUR")); // -80: already negative
    apply(txn("t4", "acct-1", 80, "EUR")); // 0
    apply(txn("t5", "acct-1", -1, "EUR")); // -1: crossing from exactly 0
    apply(txn("t6", "acct-2", -5, "EUR")); // first transaction of an account, from 0

    assertThat(alerts())
        .extracting(
            OverdraftAlert::getTxnId,
            OverdraftAlert::getSeq,
            OverdraftAlert::getPreviousBalanceCents,
            OverdraftAlert::getBalanceCents)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("t2", 2L, 100L, -50L),
            org.assertj.core.groups.Tuple.tuple("t5", 5L, 0L, -1L),
            org.assertj.core.groups.Tuple.tuple("t6", 1L, 0L, -5L));
  }

  @Test
  void stateSurvivesSnapshotAndRestore() throws Exception {
    apply(txn("t1", "acct-1", 1_000, "EUR"));
    apply(txn("t2", "acct-1", -300, "EUR"));
    OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
    harness.close();

    harness = newHarness();
    harness.initializeState(snapshot);
    harness.open();
    apply(txn("t2", "acct-1", -300, "EUR")); // a replayed duplicate: still remembered
    apply(txn("t3", "acct-1", 50, "GBP")); // currency still locked to EUR
    apply(txn("t4", "acct-1", 50, "EUR"));

    assertThat(balances())
        .extracting(BalanceUpdate::getTxnId, BalanceUpdate::getSeq, BalanceUpdate::getBalanceCents)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("t4", 3L, 750L));
    assertThat(deadLetters())
        .extracting(l -> l.reason)
        .containsExactly(RejectReason.CURRENCY_MISMATCH);
  }

  @Test
  void forgetsTxnIdsAfterTheDedupRetention() throws Exception {
    harness.setStateTtlProcessingTime(0);
    apply(txn("t1", "acct-1", 500, "EUR"));
    harness.setStateTtlProcessingTime(RETENTION.toMillis() - 1);
    apply(txn("t1", "acct-1", 500, "EUR")); // within retention: duplicate
    harness.setStateTtlProcessingTime(RETENTION.toMillis() + 1);
    apply(txn("t1", "acct-1", 500, "EUR")); // past retention: a new transaction

    assertThat(balances()).extracting(BalanceUpdate::getSeq).containsExactly(1L, 2L);
  }
}
