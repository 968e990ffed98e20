package tally.testkit.audit;

import tally.jobs.common.DurationConverter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally audit}: checks the ledger job's outputs against the rules. Exit code 0 when clean,
 * 1 when something is lost, duplicated or mismatched, 2 on bad arguments, 3 when Kafka fails.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Reads the transactions topic, recomputes what the ledger rules require, and compares "
        + "it with the balances, alerts and dead-letter topics (read_committed). Exits 0 only when "
        + "nothing is lost, duplicated or mismatched.")
public final class AuditCommand implements Callable<Integer> {

  public static final int EXIT_CLEAN = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_ERROR = 3;

  @Spec CommandSpec spec;

  @Option(names = "--bootstrap-servers", defaultValue = AuditSettings.DEFAULT_BOOTSTRAP_SERVERS, paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(names = "--transactions-topic", defaultValue = AuditSettings.DEFAULT_INPUT_TOPIC,
      description = "Input topic (default: ${DEFAULT-VALUE}).")
  String inputTopic;

  @Option(names = "--balances-topic", defaultValue = AuditSettings.DEFAULT_BALANCES_TOPIC,
      description = "Balance updates topic (default: ${DEFAULT-VALUE}).")
  String balancesTopic;

  @Option(names = "--alerts-topic", defaultValue = AuditSettings.DEFAULT_ALERTS_TOPIC,
      description = "Overdraft alerts topic (default: ${DEFAULT-VALUE}).")
  String alertsTopic;

  @Option(names = "--dlq-topic", defaultValue = AuditSettings.DEFAULT_DLQ_TOPIC,
      description = "Dead-letter topic (default: ${DEFAULT-VALUE}).")
  String dlqTopic;

  @Option(names = "--timeout", defaultValue = "60s", converter = DurationConverter.class,
      description = "How long to wait for the jobs to catch up, e.g. 90s, 5m (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--settle", defaultValue = "0s", converter = DurationConverter.class,
      description = "Then keep reading this long for late extra records (default: ${DEFAULT-VALUE}).")
  Duration settle;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Option(names = "--with-revenue",
      description = "Also audit the revenue job: every merchant debit in the balances counted once, in its window or as late.")
  boolean withRevenue;

  @Option(names = "--revenue-topic", defaultValue = "tally.merchant-revenue", description = "Window totals topic (default: ${DEFAULT-VALUE}).")
  String revenueTopic;

  @Option(names = "--late-topic", defaultValue = "tally.revenue-late", description = "Late debits topic (default: ${DEFAULT-VALUE}).")
  String lateTopic;

  @Option(names = "--window", defaultValue = "1min", converter = DurationConverter.class,
      description = "The revenue job's window (default: ${DEFAULT-VALUE}).")
  Duration window;

  @Option(names = "--out-of-orderness", defaultValue = "5s", converter = DurationConverter.class,
      description = "The revenue job's out-of-orderness bound (default: ${DEFAULT-VALUE}).")
  Duration outOfOrderness;

  @Option(names = "--drained",
      description = "The revenue job was stopped with --drain: every window must have fired, none may be pending.")
  boolean drained;

  @Override
  public Integer call() {
    AuditSettings settings = new AuditSettings(
        bootstrapServers, inputTopic, balancesTopic, alertsTopic, dlqTopic, timeout, settle);
    try {
      AuditReport report = new LedgerAudit(settings).run();
      RevenueComparison.RevenueCounts revenue = withRevenue ? new RevenueAudit(
          RevenueAudit.Settings.defaults(bootstrapServers)
              .withTopics(balancesTopic, revenueTopic, lateTopic)
              .withWindowing(window, outOfOrderness)
              .withDrained(drained)
              .withTimeout(timeout)).run() : null;
      if (json) {
        var tree = report.toJsonTree();
        if (revenue != null) {
          tree.set("revenue", new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(revenue));
        }
        spec.commandLine().getOut().println(tree.toPrettyString());
      } else {
        spec.commandLine().getOut().print(report.toText());
        if (revenue != null) {
          spec.commandLine().getOut().print(revenue.toText());
        }
      }
      spec.commandLine().getOut().flush();
      return report.clean() && (revenue == null || revenue.clean()) ? EXIT_CLEAN : EXIT_FAILED;
    } catch (AuditException e) {
      spec.commandLine().getErr().println("audit: " + e.getMessage());
      return EXIT_ERROR;
    }
  }
}
