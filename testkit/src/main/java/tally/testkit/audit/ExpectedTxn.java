package tally.testkit.audit;

/**
 * One applied transaction in compact form (an audit may hold millions): what its BalanceUpdate must
 * say, and its slots in the balance and alert comparisons. The account's id and currency live in
 * {@link AccountLedger}.
 */
final class ExpectedTxn {
  static final int NO_ALERT = -1;

  final String txnId;
  final long amountCents;
  final String merchantId;
  final long eventTimeMillis;
  final long balanceCents;
  final long seq;

  /** Index among all expected balance updates. */
  final int balanceOrdinal;

  /** Index among all expected alerts, or {@link #NO_ALERT}. */
  final int alertOrdinal;

  ExpectedTxn(
      String txnId,
      long amountCents,
      String merchantId,
      long eventTimeMillis,
      long balanceCents,
      long seq,
      int balanceOrdinal,
      int alertOrdinal) {
    this.txnId = txnId;
    this.amountCents = amountCents;
    this.merchantId = merchantId;
    this.eventTimeMillis = eventTimeMillis;
    this.balanceCents = balanceCents;
    this.seq = seq;
    this.balanceOrdinal = balanceOrdinal;
    this.alertOrdinal = alertOrdinal;
  }

  long previousBalanceCents() {
    return balanceCents - amountCents;
  }

  boolean alerts() {
    return alertOrdinal != NO_ALERT;
  }
}
