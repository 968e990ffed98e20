package tally.jobs.ledger;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
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
 * Rules 3-6 of the ledger, per account (the key), in the order of the account's partition:
 * currency lock, de-duplication by txnId, applying the amount, and the overdraft alert on crossing
 * below zero. State: one {@link AccountState} and, per applied txnId, a fingerprint of its content
 * kept for the dedup retention.
 */
public class LedgerFunction
    extends KeyedProcessFunction<String, Decoded<Transaction>, BalanceUpdate> {
  private static final long serialVersionUID = 1L;

  public static final OutputTag<OverdraftAlert> OVERDRAFT_ALERTS =
      new OutputTag<>("overdraft-alerts") {};
  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("ledger-dead-letters") {};

  private final Duration dedupRetention;

  private transient ValueState<AccountState> account;
  private transient MapState<String, Long> appliedTxns;
  private transient MessageDigest sha256;
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

  /** Per-account state; the name and type are part of the savepoint format (evolve by Avro rules only). */
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
  public void open(OpenContext openContext) throws NoSuchAlgorithmException {
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

    sha256 = MessageDigest.getInstance("SHA-256");
    var metrics = getRuntimeContext().getMetricGroup().addGroup("tally");
    this.applied = metrics.counter("applied");
    duplicatesDropped = metrics.counter("duplicatesDropped");
    deadLettered = metrics.counter("deadLettered");
    overdrafts = metrics.counter("overdrafts");
  }

  @Override
  public void processElement(
      Decoded<Transaction> in, Context ctx, Collector<BalanceUpdate> out) throws Exception {
    Transaction txn = in.value;
    AccountState state = account.value();

    // Rule 3: the first applied transaction fixes the account's currency.
    if (state != null && !state.getCurrency().equals(txn.getCurrency())) {
      reject(ctx, in, state, RejectReason.CURRENCY_MISMATCH,
          "account " + txn.getAccountId() + " is in " + state.getCurrency()
              + "; transaction " + txn.getTxnId() + " is in " + txn.getCurrency());
      return;
    }

    // Rule 4: a txnId seen within the retention is a duplicate.
    long fingerprint = contentFingerprint(txn);
    Long seen = appliedTxns.get(txn.getTxnId());
    if (seen != null) {
      if (seen == fingerprint) {
        duplicatesDropped.inc();
      } else {
        reject(ctx, in, state, RejectReason.CONFLICTING_DUPLICATE,
            "txnId " + txn.getTxnId() + " was already applied to account " + txn.getAccountId()
                + " with different content (amount, currency, merchant or event time)");
      }
      return;
    }

    // Rule 5: apply.
    long previousBalance = state == null ? 0L : state.getBalanceCents();
    long balance;
    try {
      balance = Math.addExact(previousBalance, txn.getAmountCents());
    } catch (ArithmeticException overflow) {
      reject(ctx, in, state, RejectReason.INVALID,
          "amountCents " + txn.getAmountCents() + " would overflow the balance of account "
              + txn.getAccountId());
      return;
    }
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
    out.collect(
        BalanceUpdate.newBuilder()
            .setAccountId(txn.getAccountId())
            .setTxnId(txn.getTxnId())
            .setAmountCents(txn.getAmountCents())
            .setCurrency(txn.getCurrency())
            .setMerchantId(txn.getMerchantId())
            .setEventTime(txn.getEventTime())
            .setBalanceCents(balance)
            .setSeq(seq)
            .build());

    // Rule 6: alert once per crossing from >= 0 to < 0.
    if (previousBalance >= 0 && balance < 0) {
      overdrafts.inc();
      ctx.output(
          OVERDRAFT_ALERTS,
          OverdraftAlert.newBuilder()
              .setAccountId(txn.getAccountId())
              .setTxnId(txn.getTxnId())
              .setSeq(seq)
              .setEventTime(txn.getEventTime())
              .setPreviousBalanceCents(previousBalance)
              .setBalanceCents(balance)
              .build());
    }
  }

  /** Dead-letters {@code in}; counts it against the account when the account exists. */
  private void reject(
      Context ctx, Decoded<Transaction> in, AccountState state, String reason, String detail)
      throws java.io.IOException {
    deadLettered.inc();
    if (state != null) {
      state.setDeadLetteredCount(state.getDeadLetteredCount() + 1);
      account.update(state);
    }
    ctx.output(DEAD_LETTERS, in.reject(reason, detail));
  }

  /**
   * 64 bits of SHA-256 over what makes two transactions with one txnId "the same": account,
   * amount, currency, merchant and event time. Storing the fingerprint instead of the content
   * keeps dedup state at a few bytes per transaction.
   */
  long contentFingerprint(Transaction txn) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
    try (DataOutputStream data = new DataOutputStream(bytes)) {
      data.writeUTF(txn.getAccountId());
      data.writeLong(txn.getAmountCents());
      data.writeUTF(txn.getCurrency());
      data.writeBoolean(txn.getMerchantId() != null);
      if (txn.getMerchantId() != null) {
        data.writeUTF(txn.getMerchantId());
      }
      data.writeLong(txn.getEventTime().toEpochMilli());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ByteBuffer.wrap(sha256.digest(bytes.toByteArray())).getLong();
  }
}
