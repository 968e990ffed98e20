package tally.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tally.cluster.FlinkRestClient;
import tally.cluster.WebUiPortOption;
import tally.cluster.embedded.FlinkMiniCluster;
import tally.cluster.embedded.OutputCounter;
import tally.cluster.status.JobHealth;
import tally.cluster.status.JobHealthProbe;
import tally.connectors.kafka.KafkaClientProperties;
import tally.connectors.kafka.KafkaConnection;
import tally.jobs.common.DurationConverter;
import tally.jobs.common.DurationOption;
import tally.jobs.common.RuntimeOptions;
import tally.jobs.common.Topics;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerJobOptions;
import tally.jobs.revenue.RevenueJob;
import tally.jobs.revenue.RevenueJobOptions;
import tally.kafka.local.BrokerSecurity;
import tally.kafka.local.EmbeddedKafkaBroker;
import tally.kafka.local.KafkaCluster;
import tally.kafka.local.KafkaClusterOptions;
import tally.kafka.local.KafkaClusters;
import tally.support.Deadline;
import tally.support.FileTrees;
import tally.support.cli.SecureOption;
import tally.support.cli.WorkDirOption;
import tally.testkit.acl.LeastPrivilegeAcls;
import tally.testkit.acl.LeastPrivilegeAcls.Principals;
import tally.testkit.acl.TallyAcl;
import tally.testkit.audit.AuditReport;
import tally.testkit.audit.AuditSettings;
import tally.testkit.audit.AuditTimeoutOption;
import tally.testkit.audit.ConsumerGroupLag;
import tally.testkit.audit.LedgerAudit;
import tally.testkit.audit.RevenueAudit;
import tally.testkit.audit.RevenueComparison.RevenueCounts;
import tally.testkit.generate.GeneratorOptions;
import tally.testkit.generate.GeneratorSettings;
import tally.testkit.generate.PartitionsOption;
import tally.testkit.generate.RateOption;
import tally.testkit.generate.TopicProvisioner;
import tally.testkit.generate.TransactionProducer;

/**
 * {@code tally demo}: everything on one machine with nothing installed. A real Kafka broker, the
 * ledger and revenue jobs on a local Flink with the Web UI, a generator mixing in duplicates and
 * bad records, a status line every few seconds, and the audit when it stops.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Starts a local Kafka broker and the ledger and revenue jobs on a local Flink (Web UI on"
            + " http://localhost:8081), feeds it generated transactions, and audits the output when"
            + " stopped (Ctrl-C or --duration). Exits 0 only when the audit finds nothing lost,"
            + " duplicated or mismatched. Its files go to a temporary directory, deleted at the"
            + " end, unless --work-dir keeps them.")
public final class DemoCommand implements Callable<Integer> {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  /** Parallelism of each job unless --parallelism says otherwise. */
  private static final int DEFAULT_PARALLELISM = 2;

  @Spec CommandSpec spec;

  @Mixin DurationOption runFor = new DurationOption();

  @Mixin RateOption rate = new RateOption(200);

  @Mixin
  GeneratorOptions generator =
      new GeneratorOptions(
          GeneratorSettings.defaults()
              .withAccounts(500)
              .withMerchants(20)
              .withDuplicateRatio(0.02)
              .withInvalidRatio(0.005));

  @Mixin PartitionsOption partitions = new PartitionsOption();

  @Mixin RuntimeOptions runtime = new RuntimeOptions();

  @Mixin WebUiPortOption webUi = new WebUiPortOption();

  @Option(
      names = "--kafka-port",
      defaultValue = "9092",
      description =
          "Port of the local broker if free, else any free port (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(
      names = "--status-interval",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Time between status lines (default: ${DEFAULT-VALUE}).")
  Duration statusInterval;

  @Mixin AuditTimeoutOption audit = new AuditTimeoutOption(Duration.ofSeconds(90));

  @Mixin WorkDirOption workDir = new WorkDirOption();

  /** Also prints each principal's client file and an audit command line; kept with --work-dir. */
  @Mixin SecureOption secured = new SecureOption();

  /** Who connects how: one principal per role on a secured broker, all alike on a plain one. */
  private record Connections(
      KafkaConnection admin,
      KafkaConnection ledger,
      KafkaConnection revenue,
      KafkaConnection generator,
      KafkaConnection auditor) {
    static Connections plain(String bootstrapServers) {
      KafkaConnection all = KafkaConnection.to(bootstrapServers);
      return new Connections(all, all, all, all, all);
    }

    static Connections of(KafkaCluster kafka, Principals principals) {
      return new Connections(
          as(kafka, BrokerSecurity.ADMIN),
          as(kafka, principals.ledger()),
          as(kafka, principals.revenue()),
          as(kafka, principals.generator()),
          as(kafka, principals.auditor()));
    }

    private static KafkaConnection as(KafkaCluster kafka, String principal) {
      return new KafkaConnection(
          kafka.bootstrapServers(),
          KafkaClientProperties.load(kafka.clientPropertiesFile(principal), List.of()));
    }
  }

  /** The two jobs as submitted, with what the status line and the audits need to know of them. */
  private record RunningJobs(
      LedgerJobOptions ledger,
      JobClient ledgerJob,
      RevenueJobOptions revenue,
      JobClient revenueJob) {
    List<String> outputTopics() {
      List<String> topics = new ArrayList<>(ledger.outputTopics());
      topics.addAll(revenue.outputTopics());
      return topics;
    }

    void cancel() throws Exception {
      ledgerJob.cancel().get();
      revenueJob.cancel().get();
    }
  }

  @Override
  public Integer call() throws Exception {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    boolean temporary = workDir.workDir == null;
    Path dir =
        temporary
            ? Files.createTempDirectory("tally-demo-")
            : Files.createDirectories(workDir.workDir);
    try (ShutdownSignal ctrlC = ShutdownSignal.install();
        KafkaCluster kafka = startKafka(out, temporary ? null : dir);
        FlinkMiniCluster flink =
            FlinkMiniCluster.start(webUi.webUiPort, 2 * parallelism(), dir.resolve("flink"))) {
      Connections connections =
          secured.secure
              ? Connections.of(kafka, Principals.DEFAULTS)
              : Connections.plain(kafka.bootstrapServers());
      TopicProvisioner.ensureTopics(
          connections.admin(), Topics.DEFAULTS.all(), partitions.partitions);
      if (secured.secure) {
        grantLeastPrivilege(kafka, connections, temporary, out);
      }
      RunningJobs jobs = submitJobs(flink, connections, out);
      boolean clean =
          generateThenAudit(connections, jobs, new FlinkRestClient(flink.webUiUrl()), ctrlC, out);
      jobs.cancel();
      return clean ? 0 : 1;
    } finally {
      if (temporary) {
        FileTrees.deleteRecursively(dir);
      } else {
        out.println("Work directory kept: " + dir);
      }
    }
  }

  private void validate() {
    if (rate.rate <= 0 || parallelism() < 1 || partitions.partitions < 1) {
      throw new ParameterException(
          spec.commandLine(), "--rate, --parallelism and --partitions must be positive");
    }
  }

  private int parallelism() {
    return runtime.parallelism.parallelism == null
        ? DEFAULT_PARALLELISM
        : runtime.parallelism.parallelism;
  }

  /**
   * The broker; secured, in {@code keptDir}/kafka when the work dir is kept (so the printed client
   * properties files outlive the demo), else in a temp dir deleted at the end.
   */
  private KafkaCluster startKafka(PrintWriter out, Path keptDir) throws IOException {
    KafkaClusterOptions.Builder options = KafkaClusterOptions.builder().preferredPort(kafkaPort);
    KafkaCluster kafka;
    if (secured.secure) {
      options.security(BrokerSecurity.SASL_SSL_SCRAM);
      if (keptDir != null) {
        Path brokerDir = keptDir.resolve("kafka");
        if (Files.exists(brokerDir)) {
          // Every start formats a new broker with new passwords: the old one cannot be reused.
          FileTrees.deleteRecursively(brokerDir);
          out.println("Removed the broker of an earlier demo in " + brokerDir);
        }
        kafka = EmbeddedKafkaBroker.builder().options(options.build()).workDir(brokerDir).start();
      } else {
        kafka = KafkaClusters.start(options.build());
      }
    } else {
      kafka = KafkaClusters.start(options.build());
    }
    out.println("Kafka:  " + kafka.describe());
    return kafka;
  }

  /**
   * Creates the least-privilege ACLs as the admin, and prints them with each principal's client
   * properties file and a command line to audit from another terminal.
   */
  private void grantLeastPrivilege(
      KafkaCluster kafka, Connections connections, boolean temporary, PrintWriter out) {
    List<TallyAcl> acls = LeastPrivilegeAcls.defaults();
    try (Admin admin = TopicProvisioner.admin(connections.admin())) {
      LeastPrivilegeAcls.apply(admin, acls);
    }
    out.println(
        "Security: SASL_SSL, SCRAM-SHA-512, ACLs deny by default; each principal has only these"
            + " ACLs (bin/tally acls):");
    out.print(LeastPrivilegeAcls.table(acls).indent(2));
    out.println(
        "Client properties files (with a password: keep them private"
            + (temporary ? "; deleted at the end, --work-dir keeps them" : "")
            + "):");
    for (String principal : kafka.principals()) {
      out.printf("  %-10s %s%n", principal, kafka.clientPropertiesFile(principal));
    }
    out.println(
        "Audit from another terminal while it runs: bin/tally audit --bootstrap-servers "
            + kafka.bootstrapServers()
            + " --kafka-properties "
            + kafka.clientPropertiesFile(Principals.DEFAULTS.auditor())
            + " --with-revenue");
  }

  /** Both jobs with the demo's runtime options, on the contract's topics. */
  private RunningJobs submitJobs(FlinkMiniCluster flink, Connections connections, PrintWriter out)
      throws Exception {
    LedgerJobOptions ledger = LedgerJobOptions.defaults();
    ledger.kafka.connection(connections.ledger());
    ledger.runtime = runtime;
    ledger.runtime.parallelism.parallelism = parallelism();
    // The MiniCluster's configuration (Tally's cluster settings); define() adds the options.
    var ledgerEnv = flink.environment();
    LedgerJob.define(ledgerEnv, ledger);
    JobClient ledgerJob = flink.submit(ledgerEnv, ledger.identity.jobName);

    RevenueJobOptions revenue = RevenueJobOptions.defaults();
    revenue.kafka.connection(connections.revenue());
    revenue.runtime = runtime;
    var revenueEnv = flink.environment();
    RevenueJob.define(revenueEnv, revenue);
    JobClient revenueJob = flink.submit(revenueEnv, revenue.identity.jobName);

    FlinkRestClient rest = new FlinkRestClient(flink.webUiUrl());
    out.println(
        "Flink:  Web UI at "
            + flink.webUiUrl()
            + (rest.webUiAnswers()
                ? " (answering)"
                : " (NOT answering: is flink-runtime-web on the classpath?)")
            + ", ledger job "
            + ledgerJob.getJobID()
            + ", revenue job "
            + revenueJob.getJobID());
    return new RunningJobs(ledger, ledgerJob, revenue, revenueJob);
  }

  /**
   * Feeds the jobs until Ctrl-C or --duration, with a status line now and then; then audits both.
   */
  private boolean generateThenAudit(
      Connections connections,
      RunningJobs jobs,
      FlinkRestClient rest,
      ShutdownSignal ctrlC,
      PrintWriter out)
      throws Exception {
    GeneratorSettings settings =
        generator
            .applyTo(GeneratorSettings.defaults())
            .withRate(rate.rate)
            .withPartitions(partitions.partitions);
    // The status line counts every output, the revenue job's dead letters too: the admin's view.
    try (TransactionProducer producer =
            TransactionProducer.connect(connections.generator(), settings);
        OutputCounter counter = new OutputCounter(connections.admin(), jobs.outputTopics())) {
      Thread generating = new Thread(producer::run, "tally-generator");
      generating.start();
      out.printf(
          "Generating %.0f transactions/s over %d accounts; %s.%n",
          rate.rate,
          settings.accounts(),
          runFor.duration == null
              ? "Ctrl-C stops and audits"
              : "stopping after " + runFor.duration.toSeconds() + "s");
      StatusLine status =
          new StatusLine(producer, counter, jobs, new JobHealthProbe(rest), System.nanoTime());
      Deadline stop = runFor.duration == null ? null : Deadline.in(runFor.duration);
      while (!ctrlC.await(statusInterval) && (stop == null || !stop.expired())) {
        out.println(status.line());
      }
      producer.stop();
      generating.join(30_000);
      out.printf(
          "Generator stopped after %,d records. Auditing (waiting up to %s for the job to catch"
              + " up)...%n",
          producer.sent(), audit.auditTimeout.toSeconds() + "s");
      AuditReport ledgerReport =
          new LedgerAudit(
                  AuditSettings.defaults(connections.auditor()).withTimeout(audit.auditTimeout))
              .run();
      RevenueCounts revenueReport = auditRevenue(connections, jobs.revenue());
      out.println(status.line());
      out.println(ledgerReport.toText());
      out.println(revenueReport.toText());
      return ledgerReport.clean() && revenueReport.clean();
    }
  }

  /**
   * Lets the revenue job read every committed balance update, then audits it: every window the
   * watermark has passed must be exact; the newest windows, which no watermark has closed yet, are
   * reported as pending (they fire when later debits arrive).
   */
  private RevenueCounts auditRevenue(Connections connections, RevenueJobOptions revenue) {
    // The lag of the revenue job's group: the operator's (admin's) view, not the auditor's.
    try (ConsumerGroupLag lag = new ConsumerGroupLag(connections.admin())) {
      Deadline.in(audit.auditTimeout)
          .await(() -> unread(lag, revenue) == 0, () -> null, Duration.ofMillis(500));
    }
    return new RevenueAudit(
            RevenueAudit.Settings.defaults(connections.auditor()).withTimeout(audit.auditTimeout))
        .run();
  }

  private static long unread(ConsumerGroupLag lag, RevenueJobOptions revenue) {
    try {
      return lag.unread(revenue.identity.groupId, revenue.topics().balances());
    } catch (Exception e) {
      return -1; // not known yet (the group has no offsets before its first checkpoint)
    }
  }

  /**
   * "18:30:46 + 11s in 2,731 balances 2,496 ...": what the generator wrote, what readers see, the
   * job's health.
   */
  private record StatusLine(
      TransactionProducer producer,
      OutputCounter counter,
      RunningJobs jobs,
      JobHealthProbe probe,
      long startedNanos) {
    String line() {
      Topics ledger = jobs.ledger().topics();
      return String.format(
          "%s +%3ds  in %,d  balances %,d  alerts %,d  dead-lettered %,d  revenue windows %,d  %s",
          LocalTime.now().format(CLOCK),
          (System.nanoTime() - startedNanos) / 1_000_000_000L,
          producer.sent(),
          counter.count(ledger.balances()),
          counter.count(ledger.alerts()),
          counter.count(ledger.dlq()),
          counter.count(jobs.revenue().topics().merchantRevenue()),
          health());
    }

    private String health() {
      try {
        JobHealth h = probe.read(jobs.ledgerJob().getJobID().toHexString());
        return String.format(
            "job %s, restarts %d, checkpoints %d (last %s)",
            h.state(),
            h.restarts(),
            h.checkpointsCompleted(),
            h.lastCheckpointDurationMillis() < 0 ? "-" : h.lastCheckpointDurationMillis() + " ms");
      } catch (IOException e) {
        return "job status unavailable (" + e.getMessage() + ")";
      }
    }
  }
}
