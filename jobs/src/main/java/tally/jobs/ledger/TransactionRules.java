package tally.jobs.ledger;

import java.util.regex.Pattern;
import tally.connectors.deadletter.RecordValidator;
import tally.connectors.kafka.KafkaInputRecord;
import tally.schemas.Transaction;

/** Rule 2: the checks of one transaction that need no state. The detail names the field. */
public final class TransactionRules implements RecordValidator<Transaction> {
  private static final long serialVersionUID = 1L;

  public static final int MAX_ID_LENGTH = 64;
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  @Override
  public Rejection validate(Transaction txn, KafkaInputRecord source) {
    String problem = problemWith(txn, source.keyAsString());
    return problem == null ? null : new Rejection(RejectReason.INVALID, problem);
  }

  static String problemWith(Transaction txn, String key) {
    String idProblem = idProblem("txnId", txn.getTxnId());
    if (idProblem != null) {
      return idProblem;
    }
    idProblem = idProblem("accountId", txn.getAccountId());
    if (idProblem != null) {
      return idProblem;
    }
    if (txn.getAmountCents() == 0) {
      return "amountCents is 0; a transaction must move money (positive credit, negative debit)";
    }
    if (!CURRENCY.matcher(txn.getCurrency()).matches()) {
      return "currency '" + txn.getCurrency() + "' is not three upper-case letters (ISO 4217)";
    }
    if (key == null) {
      return "record has no key; producers must key records by accountId '"
          + txn.getAccountId()
          + "'";
    }
    if (!key.equals(txn.getAccountId())) {
      return "record key '" + key + "' differs from accountId '" + txn.getAccountId() + "'";
    }
    return null;
  }

  private static String idProblem(String field, String value) {
    if (value.isEmpty()) {
      return field + " is empty";
    }
    if (value.length() > MAX_ID_LENGTH) {
      return field
          + " has "
          + value.length()
          + " characters; at most "
          + MAX_ID_LENGTH
          + " allowed";
    }
    return null;
  }
}
