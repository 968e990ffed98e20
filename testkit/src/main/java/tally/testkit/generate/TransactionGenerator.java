package tally.testkit.generate;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.schemas.Channel;
import tally.schemas.Transaction;
import tally.testkit.generate.GeneratedRecord.Kind;

/**
 * A deterministic stream of {@code tally.transactions} records: the same settings give the same
 * records, byte for byte. Nothing depends on the wall clock: event time starts at {@link #EPOCH}
 * and advances ~100 ms per record with a little jitter.
 *
 * <p>Accounts start with an opening deposit, then mostly spend (debits, most at a merchant) with
 * occasional credits; the generator steers each account's balance around zero so that overdraft
 * crossings happen regularly. Duplicates re-send a recent valid record exactly; bad records cycle
 * through every {@link Kind} that a ledger rule must reject. Not thread-safe.
 */
public final class TransactionGenerator implements Iterator<GeneratedRecord> {

  public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  static final long STEP_MILLIS = 100;
  static final int JITTER_MILLIS = 40;

  /**
   * Duplicates and conflicting re-sends pick among this many recent valid records (well within any
   * dedup retention).
   */
  private static final int RECENT_CAPACITY = 4096;

  /** Home currencies, mostly EUR: cumulative weights 70% EUR, 20% USD, 10% GBP. */
  private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};

  private static final double[] CURRENCY_CUMULATIVE = {0.7, 0.9, 1.0};

  private static final List<Kind> BAD_KINDS_CYCLE =
      List.of(
          Kind.UNDECODABLE_GARBAGE,
          Kind.UNKNOWN_FINGERPRINT,
          Kind.TRUNCATED_BODY,
          Kind.ZERO_AMOUNT,
          Kind.BAD_CURRENCY,
          Kind.EMPTY_TXN_ID,
          Kind.KEY_MISMATCH,
          Kind.CURRENCY_MISMATCH,
          Kind.CONFLICTING_DUPLICATE);

  private final GeneratorSettings settings;
  private final SplittableRandom random;
  private final AvroSingleObjectSerde<Transaction> serde =
      AvroSingleObjectSerde.forType(Transaction.class);
  private final WriterVersions writers = new WriterVersions();
  private final byte[] homeCurrency;
  private final long[] balances;
  private final boolean[] opened;
  private final Transaction[] recent = new Transaction[RECENT_CAPACITY];
  private final byte[][] recentBytes = new byte[RECENT_CAPACITY][];
  private final long[] kindCounts = new long[Kind.values().length];
  private int recentSize;
  private int recentNext;
  private int badCursor;
  private long generated;

  public TransactionGenerator(GeneratorSettings settings) {
    this.settings = settings;
    SplittableRandom root = new SplittableRandom(settings.seed());
    this.homeCurrency = new byte[settings.accounts()];
    for (int a = 0; a < homeCurrency.length; a++) {
      homeCurrency[a] = (byte) weightedCurrency(root.nextDouble());
    }
    this.random = root.split();
    this.balances = new long[settings.accounts()];
    this.opened = new boolean[settings.accounts()];
  }

  /** {@code acct-000001} for index 0. */
  public static String accountId(int index) {
    return "acct-" + zeroPadded(index + 1, 6);
  }

  /** {@code merchant-0001} for index 0. */
  public static String merchantId(int index) {
    return "merchant-" + zeroPadded(index + 1, 4);
  }

  /** The home currency of account {@code index} under these settings. */
  public String homeCurrencyOf(int index) {
    return CURRENCIES[homeCurrency[index]];
  }

  @Override
  public boolean hasNext() {
    return settings.unbounded() || generated < settings.count();
  }

  @Override
  public GeneratedRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException("all " + settings.count() + " records generated");
    }
    Instant eventTime = eventTimeOf(generated);
    generated++;
    double roll = random.nextDouble();
    GeneratedRecord record = null;
    if (roll < settings.duplicateRatio()) {
      record = duplicate();
    } else if (roll < settings.duplicateRatio() + settings.invalidRatio()) {
      record = bad(eventTime);
    }
    if (record == null) { // a valid one, or a kind that needs history the stream does not have yet
      record = valid(eventTime);
    }
    kindCounts[record.kind().ordinal()]++;
    return record;
  }

  /** The remaining records; infinite when the count is unbounded. */
  public Stream<GeneratedRecord> stream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  public long generated() {
    return generated;
  }

  /** How many records of each kind were generated so far. */
  public Map<Kind, Long> kindCounts() {
    Map<Kind, Long> counts = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      counts.put(kind, kindCounts[kind.ordinal()]);
    }
    return counts;
  }

  private Instant eventTimeOf(long index) {
    long jitter = random.nextInt(-JITTER_MILLIS, JITTER_MILLIS + 1);
    return EPOCH.plusMillis(index * STEP_MILLIS + jitter);
  }

  private GeneratedRecord valid(Instant eventTime) {
    int account = random.nextInt(settings.accounts());
    long amount;
    String merchant = null;
    if (!opened[account]) {
      amount = between(10_000, 60_000); // opening deposit
    } else if (random.nextDouble() < (balances[account] < 0 ? 0.5 : 0.2)) {
      amount = between(5_000, 35_000); // salary, refund, top-up
    } else {
      amount = -between(500, 14_500);
      if (random.nextDouble() < 0.9) {
        merchant = merchantId(random.nextInt(settings.merchants()));
      }
    }
    Transaction txn = transaction(account, amount, homeCurrencyOf(account), merchant, eventTime);
    byte[] bytes = encodeAsProducerOf(account, txn);
    balances[account] += amount;
    opened[account] = true;
    remember(txn, bytes);
    return new GeneratedRecord(txn.getAccountId(), bytes, Kind.VALID);
  }

  private GeneratedRecord duplicate() {
    if (recentSize == 0) {
      return null;
    }
    int pick = random.nextInt(recentSize);
    return new GeneratedRecord(recent[pick].getAccountId(), recentBytes[pick], Kind.DUPLICATE);
  }

  /**
   * The next bad kind of the cycle; null (and the cycle waits) if it needs an applied transaction
   * first.
   */
  private GeneratedRecord bad(Instant eventTime) {
    Kind kind = BAD_KINDS_CYCLE.get(badCursor % BAD_KINDS_CYCLE.size());
    GeneratedRecord record =
        switch (kind) {
          case UNDECODABLE_GARBAGE -> {
            Transaction looksLike = draft(randomAccount(), eventTime);
            yield new GeneratedRecord(
                looksLike.getAccountId(), Corruptions.garbage(looksLike, random), kind);
          }
          case UNKNOWN_FINGERPRINT -> {
            Transaction txn = draft(randomAccount(), eventTime);
            yield new GeneratedRecord(
                txn.getAccountId(),
                Corruptions.withUnknownFingerprint(serde.encode(txn), random),
                kind);
          }
          case TRUNCATED_BODY -> {
            Transaction txn = draft(randomAccount(), eventTime);
            yield new GeneratedRecord(
                txn.getAccountId(), Corruptions.truncated(serde.encode(txn), random), kind);
          }
          case ZERO_AMOUNT -> {
            Transaction txn = draft(randomAccount(), eventTime);
            txn.setAmountCents(0L);
            yield encoded(txn, kind);
          }
          case BAD_CURRENCY -> {
            Transaction txn = draft(randomAccount(), eventTime);
            String[] bad = {txn.getCurrency().toLowerCase(Locale.ROOT), "EURO", "US", "E1R"};
            txn.setCurrency(bad[random.nextInt(bad.length)]);
            yield encoded(txn, kind);
          }
          case EMPTY_TXN_ID -> {
            Transaction txn = draft(randomAccount(), eventTime);
            txn.setTxnId("");
            yield encoded(txn, kind);
          }
          case KEY_MISMATCH -> {
            int account = randomAccount();
            Transaction txn = draft(account, eventTime);
            String otherKey =
                settings.accounts() > 1
                    ? accountId((account + 1) % settings.accounts())
                    : "not-" + txn.getAccountId();
            yield new GeneratedRecord(otherKey, serde.encode(txn), kind);
          }
          case CURRENCY_MISMATCH -> {
            if (recentSize == 0) {
              yield null;
            }
            Transaction applied = recent[random.nextInt(recentSize)];
            Transaction txn = draft(accountIndexOf(applied.getAccountId()), eventTime);
            txn.setCurrency(otherCurrency(applied.getCurrency()));
            yield encoded(txn, kind);
          }
          case CONFLICTING_DUPLICATE -> {
            if (recentSize == 0) {
              yield null;
            }
            Transaction applied = recent[random.nextInt(recentSize)];
            Transaction conflicting = Transaction.newBuilder(applied).build();
            long delta = 1 + random.nextInt(500);
            conflicting.setAmountCents(
                applied.getAmountCents() + (applied.getAmountCents() > 0 ? delta : -delta));
            yield encoded(conflicting, kind);
          }
          case VALID, DUPLICATE -> throw new IllegalStateException("not a bad kind: " + kind);
        };
    if (record != null) {
      badCursor++;
    }
    return record;
  }

  /**
   * A plausible new transaction that will be rejected, so it does not touch the account's state.
   */
  private Transaction draft(int account, Instant eventTime) {
    boolean debit = random.nextDouble() < 0.7;
    long amount = debit ? -between(500, 14_500) : between(5_000, 35_000);
    String merchant = debit ? merchantId(random.nextInt(settings.merchants())) : null;
    return transaction(account, amount, homeCurrencyOf(account), merchant, eventTime);
  }

  private Transaction transaction(
      int account, long amount, String currency, String merchant, Instant eventTime) {
    String txnId = nextTxnId();
    return Transaction.newBuilder()
        .setTxnId(txnId)
        .setAccountId(accountId(account))
        .setAmountCents(amount)
        .setCurrency(currency)
        .setMerchantId(merchant)
        .setEventTime(eventTime)
        .setChannel(
            merchant != null
                ? Channel.CARD
                : amount > 0 ? Channel.BANK_TRANSFER : Channel.DIRECT_DEBIT)
        .setReference(merchant != null ? null : "ref " + txnId)
        .build();
  }

  /**
   * Even-numbered accounts are served by a producer still on schema v1, odd ones by one on the
   * current schema: the topic always mixes writer versions.
   */
  private byte[] encodeAsProducerOf(int account, Transaction txn) {
    return account % 2 == 0 ? writers.v1(txn) : writers.current(txn);
  }

  /**
   * Unique within a run; the seed is part of it so that runs with different seeds do not collide.
   */
  private String nextTxnId() {
    return "txn-" + settings.seed() + "-" + zeroPadded(generated, 10);
  }

  private GeneratedRecord encoded(Transaction txn, Kind kind) {
    return new GeneratedRecord(txn.getAccountId(), serde.encode(txn), kind);
  }

  private void remember(Transaction txn, byte[] bytes) {
    recent[recentNext] = txn;
    recentBytes[recentNext] = bytes;
    recentNext = (recentNext + 1) % RECENT_CAPACITY;
    recentSize = Math.min(recentSize + 1, RECENT_CAPACITY);
  }

  private int randomAccount() {
    return random.nextInt(settings.accounts());
  }

  private static int accountIndexOf(String accountId) {
    return Integer.parseInt(accountId.substring("acct-".length())) - 1;
  }

  private String otherCurrency(String currency) {
    String other;
    do {
      other = CURRENCIES[random.nextInt(CURRENCIES.length)];
    } while (other.equals(currency));
    return other;
  }

  private long between(long min, long max) {
    return random.nextLong(min, max + 1);
  }

  private static int weightedCurrency(double roll) {
    for (int i = 0; i < CURRENCY_CUMULATIVE.length; i++) {
      if (roll < CURRENCY_CUMULATIVE[i]) {
        return i;
      }
    }
    return CURRENCIES.length - 1;
  }

  private static String zeroPadded(long value, int width) {
    String digits = Long.toString(value);
    return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
  }
}
