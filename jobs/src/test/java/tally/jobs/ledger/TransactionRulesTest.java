package tally.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static tally.jobs.ledger.TestTransactions.txn;

import org.junit.jupiter.api.Test;
import tally.connectors.deadletter.RecordValidator.Rejection;
import tally.schemas.Transaction;

/** Rule 2: invalid fields, each named in the detail. */
class TransactionRulesTest {
  private final TransactionRules rules = new TransactionRules();

  private Rejection check(Transaction txn, String key) {
    return rules.validate(txn, TestTransactions.record(key, TestTransactions.SERDE.encode(txn)));
  }

  @Test
  void acceptsAWellFormedTransaction() {
    assertThat(check(txn("t1", "acct-1", -100, "EUR"), "acct-1")).isNull();
    assertThat(check(txn("x".repeat(64), "a".repeat(64), 1, "USD"), "a".repeat(64))).isNull();
  }

  @Test
  void rejectsEmptyOrOverlongIds() {
    assertInvalid(check(txn("", "acct-1", 100, "EUR"), "acct-1"), "txnId");
    assertInvalid(check(txn("x".repeat(65), "acct-1", 100, "EUR"), "acct-1"), "txnId");
    assertInvalid(check(txn("t1", "", 100, "EUR"), ""), "accountId");
    assertInvalid(check(txn("t1", "a".repeat(65), 100, "EUR"), "a".repeat(65)), "accountId");
  }

  @Test
  void rejectsZeroAmount() {
    assertInvalid(check(txn("t1", "acct-1", 0, "EUR"), "acct-1"), "amountCents");
  }

  @Test
  void rejectsCurrencyThatIsNotThreeUpperCaseLetters() {
    for (String currency : new String[] {"eur", "EURO", "EU", "E1R", ""}) {
      assertInvalid(check(txn("t1", "acct-1", 100, currency), "acct-1"), "currency");
    }
  }

  @Test
  void rejectsAKeyOtherThanTheAccountId() {
    assertInvalid(check(txn("t1", "acct-1", 100, "EUR"), "acct-2"), "key");
    assertInvalid(check(txn("t1", "acct-1", 100, "EUR"), null), "key");
  }

  private static void assertInvalid(Rejection rejection, String field) {
    assertThat(rejection).isNotNull();
    assertThat(rejection.reason()).isEqualTo(RejectReason.INVALID);
    assertThat(rejection.detail()).contains(field);
  }
}
