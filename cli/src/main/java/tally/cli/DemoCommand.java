package tally.cli;

import tally.support.FileTrees;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.jobs.common.DurationConverter;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerJobOptions;
import tally.kafka.local.KafkaCluster;
import tally.kafka.local.KafkaClusterOptions;
import tally.kafka.local.KafkaClusters;
import tally.testkit.audit.AuditReport;
import tally.testkit.audit.AuditSettings;
import tally.testkit.audit.LedgerAudit;
import tally.testkit.audit.RevenueAudit;
import tally.testkit.audit.RevenueComparison;
import tally.testkit.audit.ConsumerGroupLag;
import tally.jobs.revenue.RevenueJob;
import tally.jobs.revenue.RevenueJobOptions;
import java.util.ArrayList;
import java.util.List;
import tally.testkit.generate.GeneratorSettings;
import tally.testkit.generate.TransactionProducer;
import tally.cluster.embedded.FlinkRest;
import tally.cluster.embedded.FlinkMiniCluster;
import tally.cluster.embedded.OutputCounter;

/**
 * {@code tally demo}: everything on one machine with nothing installed. A real Kafka broker, the
 * ledger job on a local Flink with the Web UI, a generator mixing in duplicates and bad records,
 * a status line every few seconds, and the audit when it stops.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Starts a local Kafka broker and the ledger and revenue jobs on a local Flink (Web UI on "
        + "http://localhost:8081), feeds it generated transactions, and audits the output when "
        + "stopped (Ctrl-C or --duration). Exits 0 only when the audit finds nothing lost, duplicated "
        + "or mismatched.")
public final class DemoCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  @Option(names = "--duration", converter = DurationConverter.class,
      description = "Stop by itself after this long, e.g. 90s (default: run until Ctrl-C).")
  Duration duration;

  @Option(names = "--rate", defaultValue = "200", description = "Transactions per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--accounts", defaultValue = "500", description = "Accounts (default: ${DEFAULT-VALUE}).")
  int accounts;

  @Option(names = "--merchants", defaultValue = "20", description = "Merchants (default: ${DEFAULT-VALUE}).")
  int merchants;

  @Option(names = "--duplicate-ratio", defaultValue = "0.02", description = "Share of exact re-sends (default: ${DEFAULT-VALUE}).")
  double duplicateRatio;

  @Option(names = "--invalid-ratio", defaultValue = "0.005", description = "Share of records for the DLQ (default: ${DEFAULT-VALUE}).")
  double invalidRatio;

  @Option(names = "--seed", defaultValue = "42", description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--partitions", defaultValue = "4", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--web-ui-port", defaultValue = "8081", description = "Flink Web UI port (default: ${DEFAULT-VALUE}).")
  int webUiPort;

  @Option(names = "--kafka-port", defaultValue = "9092",
      description = "Port of the local broker if free, else any free port (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(names = "--status-interval", defaultValue = "5s", converter = DurationConverter.class,
      description = "Time between status lines (default: ${DEFAULT-VALUE}).")
  Duration statusInterval;

  @Option(names = "--audit-timeout", defaultValue = "90s", converter = DurationConverter.class,
      description = "How long the final audit waits for the job to catch up (default: ${DEFAULT-VALUE}).")
  Duration auditTimeout;

  @Option(names = "--work-dir", description = "Keep broker data, checkpoints and logs here (default: a temporary directory, deleted at the end).")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    if (rate <= 0 || parallelism < 1 || partitions < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--rate, --parallelism and --partitions must be positive");
    }
    PrintWriter out = spec.commandLine().getOut();
    boolean temporary = workDir == null;
    Path dir = temporary ? Files.createTempDirectory("tally-demo-") : Files.createDirectories(workDir);
    try (ShutdownSignal ctrlC = ShutdownSignal.install();
        KafkaCluster kafka = KafkaClusters.start(KafkaClusterOptions.builder().preferredPort(kafkaPort).build())) {
      String bootstrap = kafka.bootstrapServers();
      out.println("Kafka:  " + kafka.describe());
      TopicsCommand.ensure(bootstrap, TopicsCommand.ALL, partitions);

      try (FlinkMiniCluster flink = FlinkMiniCluster.start(webUiPort, 2 * parallelism, dir.resolve("flink"))) {
        LedgerJobOptions job = LedgerJobOptions.defaults();
        job.kafka.bootstrapServers(bootstrap);
        job.runtime.parallelism = parallelism;
        var env = flink.environment(job.runtime.toConfiguration());
        LedgerJob.define(env, job);
        JobClient ledger = flink.submit(env, LedgerJob.NAME);

        RevenueJobOptions revenueJob = RevenueJobOptions.defaults();
        revenueJob.kafka.bootstrapServers(bootstrap);
        revenueJob.runtime.parallelism = parallelism;
        var revenueEnv = flink.environment(revenueJob.runtime.toConfiguration());
        RevenueJob.define(revenueEnv, revenueJob);
        JobClient revenue = flink.submit(revenueEnv, RevenueJob.NAME);
        FlinkRest rest = new FlinkRest(flink.webUiUrl());
        out.println("Flink:  Web UI at " + flink.webUiUrl()
            + (rest.webUiAnswers() ? " (answering)" : " (NOT answering: is flink-runtime-web on the classpath?)")
            + ", ledger job " + ledger.getJobID() + ", revenue job " + revenue.getJobID());

        GeneratorSettings settings = GeneratorSettings.defaults()
            .withRate(rate).withAccounts(accounts).withMerchants(merchants)
            .withDuplicateRatio(duplicateRatio).withInvalidRatio(invalidRatio)
            .withSeed(seed).withPartitions(partitions);
        AuditReport report;
        RevenueComparison.RevenueCounts revenueReport;
        try (TransactionProducer generator = TransactionProducer.connect(bootstrap, settings);
            OutputCounter counter = new OutputCounter(bootstrap, outputTopics(job, revenueJob))) {
          Thread generating = new Thread(generator::run, "tally-generator");
          generating.start();
          out.printf("Generating %.0f transactions/s over %d accounts; %s.%n", rate, accounts,
              duration == null ? "Ctrl-C stops and audits" : "stopping after " + duration.toSeconds() + "s");

          long started = System.nanoTime();
          long deadline = duration == null ? Long.MAX_VALUE : started + duration.toNanos();
          while (!ctrlC.await(statusInterval) && System.nanoTime() < deadline) {
            out.println(statusLine(started, generator, counter, job, revenueJob, rest, ledger));
          }
          generator.stop();
          generating.join(30_000);
          out.printf("Generator stopped after %,d records. Auditing (waiting up to %s for the job to catch up)...%n",
              generator.sent(), auditTimeout.toSeconds() + "s");
          report = new LedgerAudit(AuditSettings.defaults(bootstrap).withTimeout(auditTimeout)).run();
          revenueReport = auditRevenue(bootstrap, revenueJob);
          out.println(statusLine(started, generator, counter, job, revenueJob, rest, ledger));
        }
        out.println(report.toText());
        out.println(revenueReport.toText());
        ledger.cancel().get();
        revenue.cancel().get();
        return report.clean() && revenueReport.clean() ? 0 : 1;
      }
    } finally {
      if (temporary) {
        FileTrees.deleteRecursively(dir);
      } else {
        out.println("Work directory kept: " + dir);
      }
    }
  }

  private static List<String> outputTopics(LedgerJobOptions ledger, RevenueJobOptions revenue) {
    List<String> topics = new ArrayList<>(ledger.outputTopics());
    topics.addAll(revenue.outputTopics());
    return topics;
  }

  /**
   * Lets the revenue job read every committed balance update, then audits it: every window the
   * watermark has passed must be exact; the newest windows, which no watermark has closed yet, are
   * reported as pending (they fire when later debits arrive).
   */
  private RevenueComparison.RevenueCounts auditRevenue(String bootstrap, RevenueJobOptions revenueJob)
      throws Exception {
    long deadline = System.nanoTime() + auditTimeout.toNanos();
    try (ConsumerGroupLag lag = new ConsumerGroupLag(bootstrap)) {
      while (lag.unread(revenueJob.identity.groupId, revenueJob.topicOptions.balances) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(500); // polling a condition with a deadline
      }
    }
    return new RevenueAudit(RevenueAudit.Settings.defaults(bootstrap).withTimeout(auditTimeout)).run();
  }

  private static String statusLine(long started, TransactionProducer generator, OutputCounter counter,
      LedgerJobOptions job, RevenueJobOptions revenueJob, FlinkRest rest, JobClient ledger) {
    String health;
    try {
      FlinkRest.JobHealth h = rest.health(ledger.getJobID());
      health = String.format("job %s, restarts %d, checkpoints %d (last %s)", h.state(), h.restarts(),
          h.checkpointsCompleted(), h.lastCheckpointMillis() < 0 ? "-" : h.lastCheckpointMillis() + " ms");
    } catch (IOException | InterruptedException e) {
      health = "job status unavailable (" + e.getMessage() + ")";
    }
    return String.format("%s +%3ds  in %,d  balances %,d  alerts %,d  dead-lettered %,d  revenue windows %,d  %s",
        LocalTime.now().format(CLOCK), (System.nanoTime() - started) / 1_000_000_000L, generator.sent(),
        counter.count(job.topicOptions.balances), counter.count(job.topicOptions.alerts), counter.count(job.topicOptions.dlq),
        counter.count(revenueJob.topicOptions.merchantRevenue), health);
  }

}
