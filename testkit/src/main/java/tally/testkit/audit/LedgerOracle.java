package tally.testkit.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.avro.UndecodableException;
import tally.schemas.BalanceUpdate;
import tally.schemas.OverdraftAlert;
import tally.schemas.Transaction;

/**
 * What the ledger job must write for a given input, recomputed from the contract's rules 1–6
 * (docs/contract.md) without sharing any code with the job: feed it the transactions topic, each
 * partition in offset order (partitions may interleave), then ask for the expected balance updates,
 * overdraft alerts and dead letters.
 *
 * <p><b>Dedup retention is unbounded here.</b> The job forgets an applied txnId after its
 * processing-time TTL (default 7 days); an audit covers a far shorter run, so within it every
 * applied txnId is remembered. Inputs older than the job's retention would be audited differently
 * than the job treated them.
 *
 * <p>Accounts are independent of each other, so the interleaving of partitions does not matter as
 * long as each account's valid records sit in one partition (producers key by accountId).
 *
 * <p>Memory: about 150 bytes per applied transaction plus the bytes of rejected records; two
 * million inputs fit in a few hundred MB.
 */
public final class LedgerOracle {

  /** What the rules did with one input record. */
  public enum Outcome {
    APPLIED(null),
    DUPLICATE_DROPPED(null),
    UNDECODABLE(DlqReason.UNDECODABLE),
    INVALID(DlqReason.INVALID),
    CURRENCY_MISMATCH(DlqReason.CURRENCY_MISMATCH),
    CONFLICTING_DUPLICATE(DlqReason.CONFLICTING_DUPLICATE);

    private final DlqReason deadLetterReason;

    Outcome(DlqReason deadLetterReason) {
      this.deadLetterReason = deadLetterReason;
    }

    /** The DLQ reason, if this outcome is a dead letter. */
    public Optional<DlqReason> deadLetterReason() {
      return Optional.ofNullable(deadLetterReason);
    }
  }

  static final int MAX_ID_LENGTH = 64;

  private final AvroSingleObjectSerde<Transaction> serde =
      AvroSingleObjectSerde.forType(Transaction.class);
  private final Map<String, AccountLedger> accounts = new HashMap<>();
  private final Map<Integer, Long> lastOffsetByPartition = new HashMap<>();
  private final Map<Integer, Map<Long, Integer>> deadLetterOrdinals = new HashMap<>();
  private final List<ExpectedDeadLetter> deadLetters = new ArrayList<>();
  private final Map<DlqReason, Long> deadLettersByReason = new EnumMap<>(DlqReason.class);

  /** One instance per distinct merchantId: millions of decoded copies would waste memory. */
  private final Map<String, String> canonicalStrings = new HashMap<>();

  private long inputRecords;
  private int balanceCount;
  private int alertCount;
  private long duplicatesDropped;

  /** An oracle fed with {@code records}, in their order. */
  public static LedgerOracle of(Iterable<InputRecord> records) {
    LedgerOracle oracle = new LedgerOracle();
    for (InputRecord record : records) {
      oracle.accept(record);
    }
    return oracle;
  }

  public Outcome accept(InputRecord record) {
    return accept(record.partition(), record.offset(), record.key(), record.value());
  }

  /**
   * Applies the rules to the next record of {@code partition}.
   *
   * @throws IllegalArgumentException if {@code offset} is not after the partition's previous one
   */
  public Outcome accept(int partition, long offset, byte[] key, byte[] value) {
    Long previous = lastOffsetByPartition.put(partition, offset);
    if (previous != null && offset <= previous) {
      lastOffsetByPartition.put(partition, previous);
      throw new IllegalArgumentException(
          "Partition "
              + partition
              + " must be fed in offset order: "
              + offset
              + " after "
              + previous);
    }
    inputRecords++;

    Transaction txn; // rule 1
    try {
      txn = serde.decode(value);
    } catch (UndecodableException e) {
      return reject(partition, offset, key, value, DlqReason.UNDECODABLE);
    }
    if (invalidField(txn, key) != null) { // rule 2
      return reject(partition, offset, key, value, DlqReason.INVALID);
    }
    AccountLedger account = accounts.get(txn.getAccountId());
    if (account != null && !account.currency.equals(txn.getCurrency())) { // rule 3, before rule 4
      return reject(partition, offset, key, value, DlqReason.CURRENCY_MISMATCH);
    }
    ExpectedTxn applied = account == null ? null : account.byTxnId.get(txn.getTxnId());
    if (applied != null) { // rule 4
      if (sameContent(applied, txn)) {
        duplicatesDropped++;
        return Outcome.DUPLICATE_DROPPED;
      }
      return reject(partition, offset, key, value, DlqReason.CONFLICTING_DUPLICATE);
    }
    if (account != null && overflows(account.balanceCents, txn.getAmountCents())) {
      // A balance that would overflow a long is refused as invalid (the contract leaves it open).
      return reject(partition, offset, key, value, DlqReason.INVALID);
    }
    if (account == null) {
      account = new AccountLedger(txn.getAccountId(), canonical(txn.getCurrency()));
      accounts.put(account.accountId, account);
    }
    apply(account, txn); // rules 5 and 6
    return Outcome.APPLIED;
  }

  /**
   * The first field that rule 2 rejects, or null if the transaction passes: ids empty or longer
   * than 64 characters, a zero amount, a currency that is not three upper-case letters A–Z, a
   * record key other than the accountId's UTF-8 bytes.
   */
  static String invalidField(Transaction txn, byte[] key) {
    if (!isId(txn.getTxnId())) {
      return "txnId";
    }
    if (!isId(txn.getAccountId())) {
      return "accountId";
    }
    if (txn.getAmountCents() == 0) {
      return "amountCents";
    }
    if (!isCurrencyCode(txn.getCurrency())) {
      return "currency";
    }
    if (key == null || !Arrays.equals(key, txn.getAccountId().getBytes(StandardCharsets.UTF_8))) {
      return "key";
    }
    return null;
  }

  private static boolean isId(String id) {
    return id != null && !id.isEmpty() && id.length() <= MAX_ID_LENGTH;
  }

  private static boolean isCurrencyCode(String currency) {
    if (currency == null || currency.length() != 3) {
      return false;
    }
    for (int i = 0; i < 3; i++) {
      char c = currency.charAt(i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return true;
  }

  /** Same accountId (by lookup) and currency (by rule 3) already hold; compare the rest. */
  private static boolean sameContent(ExpectedTxn applied, Transaction txn) {
    return applied.amountCents == txn.getAmountCents()
        && Objects.equals(applied.merchantId, txn.getMerchantId())
        && applied.eventTimeMillis == txn.getEventTime().toEpochMilli();
  }

  private static boolean overflows(long balance, long amount) {
    long sum = balance + amount;
    return ((balance ^ sum) & (amount ^ sum)) < 0; // both operands' signs differ from the sum's
  }

  private void apply(AccountLedger account, Transaction txn) {
    long previousBalance = account.balanceCents;
    long balance = previousBalance + txn.getAmountCents();
    boolean crossesIntoOverdraft = previousBalance >= 0 && balance < 0;
    ExpectedTxn expected =
        new ExpectedTxn(
            txn.getTxnId(),
            txn.getAmountCents(),
            txn.getMerchantId() == null ? null : canonical(txn.getMerchantId()),
            txn.getEventTime().toEpochMilli(),
            balance,
            account.seq() + 1,
            balanceCount++,
            crossesIntoOverdraft ? alertCount++ : ExpectedTxn.NO_ALERT);
    account.balanceCents = balance;
    account.byTxnId.put(expected.txnId, expected);
    account.inSeqOrder.add(expected);
  }

  private Outcome reject(int partition, long offset, byte[] key, byte[] value, DlqReason reason) {
    deadLetterOrdinals
        .computeIfAbsent(partition, p -> new HashMap<>())
        .put(offset, deadLetters.size());
    deadLetters.add(new ExpectedDeadLetter(partition, offset, reason, key, value));
    deadLettersByReason.merge(reason, 1L, Long::sum);
    return switch (reason) {
      case UNDECODABLE -> Outcome.UNDECODABLE;
      case INVALID -> Outcome.INVALID;
      case CURRENCY_MISMATCH -> Outcome.CURRENCY_MISMATCH;
      case CONFLICTING_DUPLICATE -> Outcome.CONFLICTING_DUPLICATE;
    };
  }

  private String canonical(String value) {
    return canonicalStrings.computeIfAbsent(value, v -> v);
  }

  // ---- the expectation ----

  public long inputRecords() {
    return inputRecords;
  }

  public long expectedBalanceCount() {
    return balanceCount;
  }

  public long expectedAlertCount() {
    return alertCount;
  }

  public long expectedDeadLetterCount() {
    return deadLetters.size();
  }

  /** Exact duplicates the job must drop without output (rule 4). */
  public long duplicatesDropped() {
    return duplicatesDropped;
  }

  public Map<DlqReason, Long> expectedDeadLettersByReason() {
    Map<DlqReason, Long> counts = new EnumMap<>(DlqReason.class);
    for (DlqReason reason : DlqReason.values()) {
      counts.put(reason, deadLettersByReason.getOrDefault(reason, 0L));
    }
    return counts;
  }

  public Optional<BalanceUpdate> expectedBalance(String accountId, String txnId) {
    AccountLedger account = accounts.get(accountId);
    ExpectedTxn txn = account == null ? null : account.byTxnId.get(txnId);
    return txn == null ? Optional.empty() : Optional.of(toBalanceUpdate(account, txn));
  }

  public Optional<OverdraftAlert> expectedAlert(String accountId, String txnId) {
    AccountLedger account = accounts.get(accountId);
    ExpectedTxn txn = account == null ? null : account.byTxnId.get(txnId);
    return txn == null || !txn.alerts() ? Optional.empty() : Optional.of(toAlert(account, txn));
  }

  public Optional<ExpectedDeadLetter> expectedDeadLetter(int partition, long offset) {
    Integer ordinal = deadLetterOrdinal(partition, offset);
    return ordinal == null ? Optional.empty() : Optional.of(deadLetters.get(ordinal));
  }

  /** The account's balance after all its applied transactions; empty if none was applied. */
  public OptionalLong finalBalanceOf(String accountId) {
    AccountLedger account = accounts.get(accountId);
    return account == null ? OptionalLong.empty() : OptionalLong.of(account.balanceCents);
  }

  /** Every expected balance update, each account's in seq order. */
  public Stream<BalanceUpdate> expectedBalances() {
    return accounts.values().stream()
        .flatMap(account -> account.inSeqOrder.stream().map(txn -> toBalanceUpdate(account, txn)));
  }

  /** Every expected overdraft alert, each account's in seq order. */
  public Stream<OverdraftAlert> expectedAlerts() {
    return accounts.values().stream()
        .flatMap(
            account ->
                account.inSeqOrder.stream()
                    .filter(ExpectedTxn::alerts)
                    .map(txn -> toAlert(account, txn)));
  }

  /** Every expected dead letter, in the order the records were fed. */
  public List<ExpectedDeadLetter> expectedDeadLetters() {
    return Collections.unmodifiableList(deadLetters);
  }

  // ---- for OutputComparison ----

  AccountLedger account(String accountId) {
    return accounts.get(accountId);
  }

  Collection<AccountLedger> accounts() {
    return accounts.values();
  }

  Integer deadLetterOrdinal(int partition, long offset) {
    Map<Long, Integer> ordinals = deadLetterOrdinals.get(partition);
    return ordinals == null ? null : ordinals.get(offset);
  }

  ExpectedDeadLetter deadLetter(int ordinal) {
    return deadLetters.get(ordinal);
  }

  static BalanceUpdate toBalanceUpdate(AccountLedger account, ExpectedTxn txn) {
    return BalanceUpdate.newBuilder()
        .setAccountId(account.accountId)
        .setTxnId(txn.txnId)
        .setAmountCents(txn.amountCents)
        .setCurrency(account.currency)
        .setMerchantId(txn.merchantId)
        .setEventTime(Instant.ofEpochMilli(txn.eventTimeMillis))
        .setBalanceCents(txn.balanceCents)
        .setSeq(txn.seq)
        .build();
  }

  static OverdraftAlert toAlert(AccountLedger account, ExpectedTxn txn) {
    return OverdraftAlert.newBuilder()
        .setAccountId(account.accountId)
        .setTxnId(txn.txnId)
        .setSeq(txn.seq)
        .setEventTime(Instant.ofEpochMilli(txn.eventTimeMillis))
        .setPreviousBalanceCents(txn.previousBalanceCents())
        .setBalanceCents(txn.balanceCents)
        .build();
  }
}
