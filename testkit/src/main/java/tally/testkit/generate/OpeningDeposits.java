package tally.testkit.generate;

import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import tally.schemas.Channel;
import tally.schemas.Transaction;
import tally.testkit.generate.GeneratedRecord.Kind;

/**
 * One opening deposit per account, in account order ({@code acct-000001}, {@code acct-000002},
 * ...): a valid credit in the account's home currency under the same {@link GeneratorSettings}
 * (seed and accounts) as {@link TransactionGenerator}, so that the generator's later transactions
 * for the same accounts are accepted. Applied by the ledger, it creates every account's state, the
 * way a bench preloads state of a given size.
 *
 * <p>TxnIds are {@code open-<seed>-<account index>}, apart from the generator's {@code txn-...};
 * event times lie just before {@link TransactionGenerator#EPOCH}, one millisecond apart. Nothing
 * depends on the wall clock: the same settings give the same records. Not thread-safe.
 */
public final class OpeningDeposits implements Iterator<GeneratedRecord> {
  public static final long MIN_CENTS = 10_000;
  public static final long MAX_CENTS = 60_000;

  private final GeneratorSettings settings;
  private final TransactionGenerator currencies;
  private final SplittableRandom random;
  private final WriterVersions writers = new WriterVersions();
  private int next;

  public OpeningDeposits(GeneratorSettings settings) {
    this.settings = settings;
    this.currencies = new TransactionGenerator(settings.withCount(1));
    this.random = new SplittableRandom(settings.seed() ^ 0x6f70656e696e67L); // "opening"
  }

  /** Records in all: one per account. */
  public int count() {
    return settings.accounts();
  }

  @Override
  public boolean hasNext() {
    return next < settings.accounts();
  }

  @Override
  public GeneratedRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException("all " + settings.accounts() + " deposits generated");
    }
    int account = next++;
    String txnId = "open-" + settings.seed() + "-" + account;
    Transaction txn =
        Transaction.newBuilder()
            .setTxnId(txnId)
            .setAccountId(TransactionGenerator.accountId(account))
            .setAmountCents(random.nextLong(MIN_CENTS, MAX_CENTS + 1))
            .setCurrency(currencies.homeCurrencyOf(account))
            .setMerchantId(null)
            .setEventTime(eventTimeOf(account))
            .setChannel(Channel.BANK_TRANSFER)
            .setReference("opening deposit " + txnId)
            .build();
    // As the generator: even accounts written by a producer on schema v1, odd ones on the current.
    byte[] bytes = account % 2 == 0 ? writers.v1(txn) : writers.current(txn);
    return new GeneratedRecord(txn.getAccountId(), bytes, Kind.VALID);
  }

  private Instant eventTimeOf(int account) {
    return TransactionGenerator.EPOCH.minusMillis(settings.accounts() - (long) account);
  }
}
