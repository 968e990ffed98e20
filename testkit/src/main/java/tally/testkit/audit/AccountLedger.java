package tally.testkit.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The oracle's state of one account: its currency, balance, seq and applied transactions. */
final class AccountLedger {
  final String accountId;

  /** Set by the first applied transaction (rule 3). */
  final String currency;

  long balanceCents;

  /** Applied transactions by txnId: the dedup state (rule 4) and the expected outputs. */
  final Map<String, ExpectedTxn> byTxnId = new HashMap<>();

  /** The same, in seq order (index = seq - 1). */
  final List<ExpectedTxn> inSeqOrder = new ArrayList<>();

  AccountLedger(String accountId, String currency) {
    this.accountId = accountId;
    this.currency = currency;
  }

  long seq() {
    return inSeqOrder.size();
  }
}
