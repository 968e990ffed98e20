package tally.testkit.audit;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tally.connectors.kafka.KafkaConnection;
import tally.jobs.common.DurationConverter;
import tally.jobs.common.KafkaOptions;
import tally.jobs.common.TopicOptions;
import tally.jobs.revenue.RevenueWindowOptions;
import tally.support.cli.JsonOption;

/**
 * {@code tally audit}: checks the ledger job's outputs against the rules. Exit code 0 when clean, 1
 * when something is lost, duplicated or mismatched, 2 on bad arguments, 3 when Kafka fails.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description =
        "Reads the transactions topic, recomputes what the ledger rules require, and compares it"
            + " with the balances, alerts and dead-letter topics (read_committed). Exits 0 only"
            + " when nothing is lost, duplicated or mismatched.")
public final class AuditCommand implements Callable<Integer> {

  public static final int EXIT_CLEAN = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_ERROR = 3;

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka = new KafkaOptions();

  @Mixin TopicOptions topics = new TopicOptions();

  @Option(
      names = "--timeout",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "How long to wait for the jobs to catch up, e.g. 90s, 5m (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--settle",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description =
          "Then keep reading this long for late extra records (default: ${DEFAULT-VALUE}).")
  Duration settle;

  @Mixin JsonOption output = new JsonOption();

  @Option(
      names = "--with-revenue",
      description =
          "Also audit the revenue job: every merchant debit in the balances counted once, in its"
              + " window or as late.")
  boolean withRevenue;

  @Mixin RevenueWindowOptions windows = new RevenueWindowOptions();

  @Option(
      names = "--drained",
      description =
          "The revenue job was stopped with --drain: every window must have fired, none may be"
              + " pending.")
  boolean drained;

  @Override
  public Integer call() {
    KafkaConnection connection = kafka.connection();
    AuditSettings settings = new AuditSettings(connection, topics.topics(), timeout, settle);
    try {
      AuditReport report = new LedgerAudit(settings).run();
      RevenueComparison.RevenueCounts revenue =
          withRevenue
              ? new RevenueAudit(
                      RevenueAudit.Settings.defaults(connection)
                          .withTopics(topics.topics())
                          .withWindowing(windows.window, windows.outOfOrderness)
                          .withDrained(drained)
                          .withTimeout(timeout))
                  .run()
              : null;
      if (output.json) {
        var tree = report.toJsonTree();
        if (revenue != null) {
          tree.set(
              "revenue", new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(revenue));
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
