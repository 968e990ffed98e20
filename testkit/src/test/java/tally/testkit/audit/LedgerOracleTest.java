package tally.testkit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tally.testkit.audit.Transactions.encode;
import static tally.testkit.audit.Transactions.txn;
import static tally.testkit.audit.Transactions.utf8;
import static tally.testkit.audit.Transactions.with;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tally.schemas.BalanceUpdate;
import tally.schemas.OverdraftAlert;
import tally.schemas.Transaction;
import tally.testkit.audit.LedgerOracle.Outcome;

class LedgerOracleTest {

  private static final String ACCT = "acct-000001";

  private final LedgerOracle oracle = new LedgerOracle();
  private long nextOffset;

  private Outcome feed(Transaction txn) {
    return feed(utf8(txn.getAccountId()), encode(txn));
  }

  private Outcome feed(byte[] key, byte[] value) {
    return oracle.accept(0, nextOffset++, key, value);
  }

  private BalanceUpdate balance(String txnId) {
    return oracle.expectedBalance(ACCT, txnId).orElseThrow();
  }

  @Test
  void seqStartsAtOneAndHasNoGapsAndBalancesAddUp() {
    feed(txn(ACCT, "t1", 10_000));
    feed(txn(ACCT, "t2", -2_500));
    feed(txn(ACCT, "t3", 700));

    assertThat(List.of(balance("t1"), balance("t2"), balance("t3")))
        .extracting(BalanceUpdate::getSeq, BalanceUpdate::getBalanceCents)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, 10_000L),
            org.assertj.core.groups.Tuple.tuple(2L, 7_500L),
            org.assertj.core.groups.Tuple.tuple(3L, 8_200L));
    assertThat(oracle.finalBalanceOf(ACCT)).hasValue(8_200);
    assertThat(oracle.expectedBalanceCount()).isEqualTo(3);
  }

  @Test
  void aBalanceThatWouldOverflowIsInvalidAsTheJobDecides() {
    feed(txn(ACCT, "t1", Long.MAX_VALUE - 5));
    assertThat(feed(txn(ACCT, "t2", 10))).isEqualTo(Outcome.INVALID);
    assertThat(feed(txn(ACCT, "t3", -10))).isEqualTo(Outcome.APPLIED);
    assertThat(oracle.finalBalanceOf(ACCT)).hasValue(Long.MAX_VALUE - 15);
  }

  @Test
  void balanceUpdateCopiesTheTransactionsFields() {
    Transaction txn =
        with(
            txn(ACCT, "t1", -1_234),
            b ->
                b.setCurrency("GBP")
                    .setMerchantId("merchant-0007")
                    .setEventTime(Transactions.T0.plusMillis(4_321)));

    feed(txn);

    BalanceUpdate update = balance("t1");
    assertThat(update.getAccountId()).isEqualTo(ACCT);
    assertThat(update.getTxnId()).isEqualTo("t1");
    assertThat(update.getAmountCents()).isEqualTo(-1_234);
    assertThat(update.getCurrency()).isEqualTo("GBP");
    assertThat(update.getMerchantId()).isEqualTo("merchant-0007");
    assertThat(update.getEventTime()).isEqualTo(Transactions.T0.plusMillis(4_321));
    assertThat(update.getBalanceCents()).isEqualTo(-1_234);
    assertThat(update.getSeq()).isEqualTo(1);
  }

  @Test
  void accountsAreIndependent() {
    feed(txn("acct-a", "t1", 100));
    feed(txn("acct-b", "t1", -50)); // same txnId, other account: not a duplicate
    feed(txn("acct-a", "t2", 100));

    assertThat(oracle.expectedBalance("acct-a", "t2").orElseThrow().getSeq()).isEqualTo(2);
    assertThat(oracle.expectedBalance("acct-b", "t1").orElseThrow().getSeq()).isEqualTo(1);
    assertThat(oracle.finalBalanceOf("acct-b")).hasValue(-50);
    assertThat(oracle.duplicatesDropped()).isZero();
  }

  @Test
  void overdraftAlertOnlyWhenCrossingFromNonNegativeToNegative() {
    feed(txn(ACCT, "t1", -500)); // 0 -> -500: crossing (0 counts as >= 0)
    feed(txn(ACCT, "t2", -100)); // -500 -> -600: already negative
    feed(txn(ACCT, "t3", 1_000)); // -600 -> 400
    feed(txn(ACCT, "t4", -400)); // 400 -> 0: not negative
    feed(txn(ACCT, "t5", -1)); // 0 -> -1: crossing

    assertThat(oracle.expectedAlertCount()).isEqualTo(2);
    assertThat(oracle.expectedAlert(ACCT, "t2")).isEmpty();
    assertThat(oracle.expectedAlert(ACCT, "t4")).isEmpty();
    OverdraftAlert first = oracle.expectedAlert(ACCT, "t1").orElseThrow();
    assertThat(first.getSeq()).isEqualTo(1);
    assertThat(first.getPreviousBalanceCents()).isZero();
    assertThat(first.getBalanceCents()).isEqualTo(-500);
    OverdraftAlert second = oracle.expectedAlert(ACCT, "t5").orElseThrow();
    assertThat(second.getSeq()).isEqualTo(5);
    assertThat(second.getPreviousBalanceCents()).isZero();
    assertThat(second.getBalanceCents()).isEqualTo(-1);
    assertThat(second.getEventTime()).isEqualTo(Transactions.T0);
    assertThat(oracle.expectedAlerts())
        .extracting(OverdraftAlert::getTxnId)
        .containsExactly("t1", "t5");
  }

  @Test
  void exactDuplicateIsDroppedAndCounted() {
    Transaction txn = txn(ACCT, "t1", 100);
    feed(txn);

    assertThat(feed(txn)).isEqualTo(Outcome.DUPLICATE_DROPPED);
    assertThat(feed(txn(ACCT, "t2", 1))).isEqualTo(Outcome.APPLIED);

    assertThat(oracle.duplicatesDropped()).isEqualTo(1);
    assertThat(oracle.expectedBalanceCount()).isEqualTo(2);
    assertThat(balance("t2").getSeq()).isEqualTo(2); // the duplicate did not advance seq
    assertThat(oracle.expectedDeadLetterCount()).isZero();
  }

  @Test
  void sameTxnIdWithDifferentContentIsAConflictingDuplicate() {
    Transaction txn = with(txn(ACCT, "t1", -100), b -> b.setMerchantId("merchant-0001"));
    feed(txn);

    assertThat(feed(with(txn, b -> b.setAmountCents(-101L))))
        .isEqualTo(Outcome.CONFLICTING_DUPLICATE);
    assertThat(feed(with(txn, b -> b.setMerchantId("merchant-0002"))))
        .isEqualTo(Outcome.CONFLICTING_DUPLICATE);
    assertThat(feed(with(txn, b -> b.setMerchantId(null))))
        .isEqualTo(Outcome.CONFLICTING_DUPLICATE);
    assertThat(feed(with(txn, b -> b.setEventTime(Transactions.T0.plusMillis(1)))))
        .isEqualTo(Outcome.CONFLICTING_DUPLICATE);

    assertThat(oracle.expectedDeadLettersByReason())
        .containsEntry(DlqReason.CONFLICTING_DUPLICATE, 4L);
    assertThat(oracle.finalBalanceOf(ACCT)).hasValue(-100);
    assertThat(oracle.duplicatesDropped()).isZero();
  }

  @Test
  void firstAppliedTransactionSetsTheCurrencyAndOthersAreMismatches() {
    feed(txn(ACCT, "t1", 100));

    assertThat(feed(with(txn(ACCT, "t2", 100), b -> b.setCurrency("USD"))))
        .isEqualTo(Outcome.CURRENCY_MISMATCH);
    assertThat(feed(txn(ACCT, "t3", 100))).isEqualTo(Outcome.APPLIED);

    assertThat(oracle.expectedBalance(ACCT, "t2")).isEmpty();
    assertThat(balance("t3").getSeq()).isEqualTo(2);
  }

  @Test
  void currencyIsCheckedBeforeDuplicates() {
    Transaction txn = txn(ACCT, "t1", 100);
    feed(txn);

    assertThat(feed(with(txn, b -> b.setCurrency("USD")))).isEqualTo(Outcome.CURRENCY_MISMATCH);
  }

  @Test
  void rejectedRecordsLeaveNoState() {
    assertThat(feed(with(txn(ACCT, "t1", 0), b -> b.setCurrency("USD"))))
        .isEqualTo(Outcome.INVALID);
    assertThat(feed(txn(ACCT, "t2", 100)))
        .isEqualTo(Outcome.APPLIED); // EUR, not USD: the invalid one set nothing
    assertThat(feed(with(txn(ACCT, "t3", 100), b -> b.setCurrency("USD"))))
        .isEqualTo(Outcome.CURRENCY_MISMATCH);

    // a txnId that was only rejected is no duplicate later
    assertThat(feed(txn(ACCT, "t3", 100))).isEqualTo(Outcome.APPLIED);
    assertThat(balance("t3").getSeq()).isEqualTo(2);
  }

  static Stream<Arguments> invalidTransactions() {
    Transaction ok = txn(ACCT, "t1", 100);
    return Stream.of(
        Arguments.of("empty txnId", with(ok, b -> b.setTxnId("")), ACCT),
        Arguments.of("65-character txnId", with(ok, b -> b.setTxnId("t".repeat(65))), ACCT),
        Arguments.of("empty accountId", with(ok, b -> b.setAccountId("")), ""),
        Arguments.of(
            "65-character accountId",
            with(ok, b -> b.setAccountId("a".repeat(65))),
            "a".repeat(65)),
        Arguments.of("zero amount", with(ok, b -> b.setAmountCents(0L)), ACCT),
        Arguments.of("lower-case currency", with(ok, b -> b.setCurrency("eur")), ACCT),
        Arguments.of("four-letter currency", with(ok, b -> b.setCurrency("EURO")), ACCT),
        Arguments.of("two-letter currency", with(ok, b -> b.setCurrency("EU")), ACCT),
        Arguments.of("digit in currency", with(ok, b -> b.setCurrency("E1R")), ACCT),
        Arguments.of("non-ASCII currency", with(ok, b -> b.setCurrency("ÉUR")), ACCT),
        Arguments.of("key of another account", ok, "acct-000002"),
        Arguments.of("null key", ok, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidTransactions")
  void invalidFieldsGoToTheDeadLetterQueue(String why, Transaction txn, String key) {
    byte[] value = encode(txn);

    assertThat(feed(utf8(key), value)).isEqualTo(Outcome.INVALID);

    ExpectedDeadLetter letter = oracle.expectedDeadLetter(0, 0).orElseThrow();
    assertThat(letter.reason()).isEqualTo(DlqReason.INVALID);
    assertThat(letter.value()).isEqualTo(value);
    assertThat(letter.key()).isEqualTo(utf8(key));
    assertThat(oracle.expectedBalanceCount()).isZero();
  }

  @Test
  void limitsAreInclusive() {
    Transaction longest = with(txn("a".repeat(64), "t".repeat(64), 1), b -> b.setCurrency("XYZ"));

    assertThat(feed(longest)).isEqualTo(Outcome.APPLIED);
  }

  static Stream<Arguments> undecodableValues() {
    byte[] valid = encode(txn(ACCT, "t1", 100));
    byte[] unknownFingerprint = valid.clone();
    unknownFingerprint[5] ^= 0x5A;
    return Stream.of(
        Arguments.of("garbage", utf8("{\"txnId\":\"t1\"}")),
        Arguments.of("empty", new byte[0]),
        Arguments.of("null value", null),
        Arguments.of("unknown fingerprint", unknownFingerprint),
        Arguments.of("truncated body", Arrays.copyOf(valid, valid.length - 1)),
        Arguments.of("header only", Arrays.copyOf(valid, 10)),
        Arguments.of("trailing bytes", Arrays.copyOf(valid, valid.length + 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("undecodableValues")
  void undecodableValuesGoToTheDeadLetterQueue(String why, byte[] value) {
    assertThat(feed(utf8(ACCT), value)).isEqualTo(Outcome.UNDECODABLE);

    assertThat(oracle.expectedDeadLetter(0, 0).orElseThrow().reason())
        .isEqualTo(DlqReason.UNDECODABLE);
  }

  @Test
  void deadLettersAreKeptByPartitionAndOffsetWithTheOriginalBytes() {
    byte[] garbage = {1, 2, 3};
    oracle.accept(3, 17, utf8("k"), garbage);
    oracle.accept(1, 17, utf8(ACCT), encode(txn(ACCT, "t1", 0)));

    assertThat(oracle.expectedDeadLetter(3, 17))
        .get()
        .satisfies(
            letter -> {
              assertThat(letter.reason()).isEqualTo(DlqReason.UNDECODABLE);
              assertThat(letter.key()).isEqualTo(utf8("k"));
              assertThat(letter.value()).isEqualTo(garbage);
            });
    assertThat(oracle.expectedDeadLetter(1, 17).orElseThrow().reason())
        .isEqualTo(DlqReason.INVALID);
    assertThat(oracle.expectedDeadLetter(0, 17)).isEmpty();
    assertThat(oracle.expectedDeadLetters()).hasSize(2);
    assertThat(oracle.expectedDeadLettersByReason())
        .containsEntry(DlqReason.UNDECODABLE, 1L)
        .containsEntry(DlqReason.INVALID, 1L)
        .containsEntry(DlqReason.CURRENCY_MISMATCH, 0L);
    assertThat(oracle.inputRecords()).isEqualTo(2);
  }

  @Test
  void eachPartitionMustBeFedInOffsetOrder() {
    oracle.accept(0, 5, utf8(ACCT), encode(txn(ACCT, "t1", 1)));
    oracle.accept(1, 2, utf8(ACCT), encode(txn(ACCT, "t2", 1))); // other partition: its own order

    assertThatThrownBy(() -> oracle.accept(0, 5, utf8(ACCT), encode(txn(ACCT, "t3", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset order");
    assertThat(oracle.inputRecords()).isEqualTo(2);
  }
}
