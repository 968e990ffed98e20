package tally.jobs.common;

import java.util.List;

/**
 * The names of Tally's topics: the one vocabulary the jobs, the audit, the provisioner, chaos and
 * replay runs share. {@link #DEFAULTS} are the contract's names; {@link #underPrefix} and {@link
 * #withOutputSuffix} give the variants of test scenarios, chaos runs and replays.
 */
public record Topics(
    String transactions,
    String balances,
    String alerts,
    String dlq,
    String merchantRevenue,
    String revenueLate,
    String revenueDlq) {

  public static final String TRANSACTIONS = "tally.transactions";
  public static final String BALANCES = "tally.balances";
  public static final String ALERTS = "tally.alerts";
  public static final String DLQ = "tally.dlq";
  public static final String MERCHANT_REVENUE = "tally.merchant-revenue";
  public static final String REVENUE_LATE = "tally.revenue-late";
  public static final String REVENUE_DLQ = "tally.revenue-dlq";

  /** The contract's topic names. */
  public static final Topics DEFAULTS =
      new Topics(TRANSACTIONS, BALANCES, ALERTS, DLQ, MERCHANT_REVENUE, REVENUE_LATE, REVENUE_DLQ);

  /** The same topics named {@code <prefix>.transactions}, {@code <prefix>.balances}, ... */
  public static Topics underPrefix(String prefix) {
    String tail = "tally.";
    return new Topics(
        prefix + "." + TRANSACTIONS.substring(tail.length()),
        prefix + "." + BALANCES.substring(tail.length()),
        prefix + "." + ALERTS.substring(tail.length()),
        prefix + "." + DLQ.substring(tail.length()),
        prefix + "." + MERCHANT_REVENUE.substring(tail.length()),
        prefix + "." + REVENUE_LATE.substring(tail.length()),
        prefix + "." + REVENUE_DLQ.substring(tail.length()));
  }

  /** The same input, every output topic with {@code suffix} appended (a replay's outputs). */
  public Topics withOutputSuffix(String suffix) {
    return new Topics(
        transactions,
        balances + suffix,
        alerts + suffix,
        dlq + suffix,
        merchantRevenue + suffix,
        revenueLate + suffix,
        revenueDlq + suffix);
  }

  /** Every topic, in the contract's order. */
  public List<String> all() {
    return List.of(transactions, balances, alerts, dlq, merchantRevenue, revenueLate, revenueDlq);
  }

  /** The ledger job's input and outputs. */
  public List<String> ledger() {
    return List.of(transactions, balances, alerts, dlq);
  }

  /** What the ledger job writes, in one exactly-once sink. */
  public List<String> ledgerOutputs() {
    return List.of(balances, alerts, dlq);
  }

  /** What the revenue job writes, in one exactly-once sink. */
  public List<String> revenueOutputs() {
    return List.of(merchantRevenue, revenueLate, revenueDlq);
  }
}
