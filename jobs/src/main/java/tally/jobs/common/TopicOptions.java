package tally.jobs.common;

import picocli.CommandLine.Option;

/**
 * The topic names as command-line options, declared once for every verb: each job reads the ones it
 * uses, the audit and the provisioner all of them. Defaults are the contract's names.
 */
public class TopicOptions {

  @Option(
      names = {"--transactions-topic", "--input-topic", "--topic"},
      defaultValue = Topics.TRANSACTIONS,
      description = "Transactions topic: the ledger's input (default: ${DEFAULT-VALUE}).")
  public String transactions;

  @Option(
      names = "--balances-topic",
      defaultValue = Topics.BALANCES,
      description =
          "Balance updates: the ledger's output and the revenue job's input (default:"
              + " ${DEFAULT-VALUE}).")
  public String balances;

  @Option(
      names = "--alerts-topic",
      defaultValue = Topics.ALERTS,
      description = "Overdraft alerts (default: ${DEFAULT-VALUE}).")
  public String alerts;

  @Option(
      names = "--dlq-topic",
      defaultValue = Topics.DLQ,
      description = "The ledger's dead letters (default: ${DEFAULT-VALUE}).")
  public String dlq;

  @Option(
      names = "--revenue-topic",
      defaultValue = Topics.MERCHANT_REVENUE,
      description = "Revenue window totals (default: ${DEFAULT-VALUE}).")
  public String merchantRevenue;

  @Option(
      names = "--late-topic",
      defaultValue = Topics.REVENUE_LATE,
      description = "Debits that arrived after their window fired (default: ${DEFAULT-VALUE}).")
  public String revenueLate;

  @Option(
      names = "--revenue-dlq-topic",
      defaultValue = Topics.REVENUE_DLQ,
      description = "Balance records the revenue job cannot decode (default: ${DEFAULT-VALUE}).")
  public String revenueDlq;

  public Topics topics() {
    return new Topics(
        transactions, balances, alerts, dlq, merchantRevenue, revenueLate, revenueDlq);
  }

  /** Sets every name from {@code topics} (programmatic use: tests, chaos and replay runs). */
  public TopicOptions set(Topics topics) {
    transactions = topics.transactions();
    balances = topics.balances();
    alerts = topics.alerts();
    dlq = topics.dlq();
    merchantRevenue = topics.merchantRevenue();
    revenueLate = topics.revenueLate();
    revenueDlq = topics.revenueDlq();
    return this;
  }
}
