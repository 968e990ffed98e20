package tally.jobs.ledger;

import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import tally.connectors.deadletter.DeadLetter;
import tally.connectors.deadletter.Decoded;
import tally.schemas.BalanceUpdate;
import tally.schemas.OverdraftAlert;
import tally.schemas.Transaction;
import tally.schemas.state.AccountState;

/**
 * Rules 3-6 of the ledger, per account (the key), in the order of the account's partition: currency
 * lock, de-duplication by txnId, applying the amount, and the overdraft alert on crossing below
 * zero. State: one {@link AccountState} and, per applied txnId, a fingerprint of its content kept
 * for the dedup retention.
 */
public class LedgerFunction
    extends KeyedProcessFunction<String, Decoded<Transaction>, BalanceUpdate> {
  private static final long serialVersionUID = 1L;

  public static final OutputTag<OverdraftAlert> OVERDRAFT_ALERTS =
      new OutputTag<>("overdraft-alerts") {};
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("ledger-dead-letters") {};

  private final Duration dedupRetention;

  private transient ValueState<AccountState> account;
  private transient MapState<String, Long> appliedTxns;
  private transient ContentFingerprint fingerprints;
  private transient Counter applied;
  private transient Counter duplicatesDropped;
  private transient Counter deadLettered;
  private transient Counter overdrafts;

  public LedgerFunction(Duration dedupRetention) {
    if (dedupRetention.isNegative() || dedupRetention.isZero()) {
      throw new IllegalArgumentException("dedup retention must be positive, was " + dedupRetention);
    }
    this.dedupRetention = dedupRetention;
  }

  /**
   * Per-account state; the name and type are part of the savepoint format (evolve by Avro rules
   * only).
   */
  static ValueStateDescriptor<AccountState> accountStateDescriptor() {
    return new ValueStateDescriptor<>("account", AccountState.class);
  }

  /**
   * The descriptor this release registers. Upgrade tests override it to write state the way an
   * earlier release did (with an older schema), then restore it with this one.
   */
  protected ValueStateDescriptor<AccountState> accountStateDescriptorForThisRelease() {
    return accountStateDescriptor();
  }

  @Override
  public void open(OpenContext openContext) {
    account = getRuntimeContext().getState(accountStateDescriptorForThisRelease());

    // Processing-time TTL: Flink state TTL has no event-time flavour. An entry lives for the
    // retention after the transaction was applied; RocksDB compaction drops expired entries.
    StateTtlConfig ttl =
        StateTtlConfig.newBuilder(dedupRetention)
            .updateTtlOnCreateAndWrite()
            .neverReturnExpired()
            .cleanupInRocksdbCompactFilter(1000)
            .build();
    MapStateDescriptor<String, Long> applied =
        new MapStateDescriptor<>("applied-txns", Types.STRING, Types.LONG);
    applied.enableTimeToLive(ttl);
    appliedTxns = getRuntimeContext().getMapState(applied);

    fingerprints = new ContentFingerprint();
    var metrics = getRuntimeContext().getMetricGroup().addGroup("tally");
    this.applied = metrics.counter("applied");
    duplicatesDropped = metrics.counter("duplicatesDropped");
    deadLettered = metrics.counter("deadLettered");
    overdrafts = metrics.counter("overdrafts");
  }

  /** The rules in their order; rules 1–2 (undecodable, invalid) ran before the keyBy. */
  @Override
  public void processElement(Decoded<Transaction> in, Context ctx, Collector<BalanceUpdate> out)
      throws Exception {
    Transaction txn = in.value;
    AccountState state = account.value();
    if (rejectedForCurrency(ctx, in, state)) { // rule 3
      return;
    }
    long fingerprint = contentFingerprint(txn);
    if (handledAsDuplicate(ctx, in, state, fingerprint)) { // rule 4
      return;
    }
    OptionalLong balance = balanceAfter(ctx, in, state); // an overflow is invalid
    if (balance.isEmpty()) {
      return;
    }
    long previousBalance = state == null ? 0L : state.getBalanceCents();
    AccountState applied = apply(state, txn, balance.getAsLong(), fingerprint); // rule 5
    out.collect(balanceUpdate(txn, applied));
    alertOnOverdraftCrossing(ctx, txn, previousBalance, applied); // rule 6
  }

  /** Rule 3: the first applied transaction fixes the account's currency. */
  private boolean rejectedForCurrency(Context ctx, Decoded<Transaction> in, AccountState state)
      throws IOException {
    Transaction txn = in.value;
    if (state == null || state.getCurrency().equals(txn.getCurrency())) {
      return false;
    }
    reject(
        ctx,
        in,
        state,
        RejectReason.CURRENCY_MISMATCH,
        "account "
            + txn.getAccountId()
            + " is in "
            + state.getCurrency()
            + "; transaction "
            + txn.getTxnId()
            + " is in "
            + txn.getCurrency());
    return true;
  }

  /** Rule 4: a txnId seen within the retention is dropped if identical, dead-lettered if not. */
  private boolean handledAsDuplicate(
      Context ctx, Decoded<Transaction> in, AccountState state, long fingerprint) throws Exception {
    Transaction txn = in.value;
    Long seen = appliedTxns.get(txn.getTxnId());
    if (seen == null) {
      return false;
    }
    if (seen == fingerprint) {
      duplicatesDropped.inc();
    } else {
      reject(
          ctx,
          in,
          state,
          RejectReason.CONFLICTING_DUPLICATE,
          "txnId "
              + txn.getTxnId()
              + " was already applied to account "
              + txn.getAccountId()
              + " with different content (amount, currency, merchant or event time)");
    }
    return true;
  }

  /** The balance after {@code in}, or empty (and dead-lettered as invalid) if it would overflow. */
  private OptionalLong balanceAfter(Context ctx, Decoded<Transaction> in, AccountState state)
      throws IOException {
    Transaction txn = in.value;
    long previousBalance = state == null ? 0L : state.getBalanceCents();
    try {
      return OptionalLong.of(Math.addExact(previousBalance, txn.getAmountCents()));
    } catch (ArithmeticException overflow) {
      reject(
          ctx,
          in,
          state,
          RejectReason.INVALID,
          "amountCents "
              + txn.getAmountCents()
              + " would overflow the balance of account "
              + txn.getAccountId());
      return OptionalLong.empty();
    }
  }

  /** Rule 5: the balance and seq advance; the txnId is remembered for the retention. */
  private AccountState apply(AccountState state, Transaction txn, long balance, long fingerprint)
      throws Exception {
    long seq = state == null ? 1L : state.getSeq() + 1;
    if (state == null) {
      state = new AccountState(txn.getCurrency(), balance, seq, 0L);
    } else {
      state.setBalanceCents(balance);
      state.setSeq(seq);
    }
    account.update(state);
    appliedTxns.put(txn.getTxnId(), fingerprint);
    applied.inc();
    return state;
  }

  private static BalanceUpdate balanceUpdate(Transaction txn, AccountState applied) {
    return BalanceUpdate.newBuilder()
        .setAccountId(txn.getAccountId())
        .setTxnId(txn.getTxnId())
        .setAmountCents(txn.getAmountCents())
        .setCurrency(txn.getCurrency())
        .setMerchantId(txn.getMerchantId())
        .setEventTime(txn.getEventTime())
        .setBalanceCents(applied.getBalanceCents())
        .setSeq(applied.getSeq())
        .build();
  }

  /** Rule 6: one alert per crossing from >= 0 to < 0. */
  private void alertOnOverdraftCrossing(
      Context ctx, Transaction txn, long previousBalance, AccountState applied) {
    if (previousBalance < 0 || applied.getBalanceCents() >= 0) {
      return;
    }
    overdrafts.inc();
    ctx.output(
        OVERDRAFT_ALERTS,
        OverdraftAlert.newBuilder()
            .setAccountId(txn.getAccountId())
            .setTxnId(txn.getTxnId())
            .setSeq(applied.getSeq())
            .setEventTime(txn.getEventTime())
            .setPreviousBalanceCents(previousBalance)
            .setBalanceCents(applied.getBalanceCents())
            .build());
  }

  /** Dead-letters {@code in}; counts it against the account when the account exists. */
  private void reject(
      Context ctx, Decoded<Transaction> in, AccountState state, String reason, String detail)
      throws IOException {
    deadLettered.inc();
    if (state != null) {
      state.setDeadLetteredCount(state.getDeadLetteredCount() + 1);
      account.update(state);
    }
    ctx.output(DEAD_LETTERS, in.reject(reason, detail));
  }

  /**
   * The content fingerprint the dedup state keeps per applied txnId ({@link ContentFingerprint}).
   */
  long contentFingerprint(Transaction txn) {
    return fingerprints.of(txn);
  }
}
