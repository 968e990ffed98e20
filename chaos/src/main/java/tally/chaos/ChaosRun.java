package tally.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.cluster.ClusterLayout;
import tally.cluster.ClusterTopics;
import tally.cluster.JobSubmission;
import tally.jobs.common.Topics;
import tally.support.Deadline;
import tally.testkit.acl.LeastPrivilegeAcls;
import tally.testkit.acl.LeastPrivilegeAcls.JobIdentity;
import tally.testkit.acl.LeastPrivilegeAcls.Principals;
import tally.testkit.acl.TallyAcl;
import tally.testkit.audit.AuditException;
import tally.testkit.audit.AuditReport;
import tally.testkit.audit.AuditSettings;
import tally.testkit.audit.LedgerAudit;
import tally.testkit.generate.GeneratorSettings;
import tally.testkit.generate.TopicProvisioner;
import tally.testkit.generate.TransactionProducer;

/**
 * One chaos run against the running cluster: its own topics and job (the ledger job plus a
 * failure-injection operator), the generator at a steady rate, a schedule of faults each injected
 * only once the previous one has recovered and the cluster is steady again (all processes healthy,
 * all tasks running, every partition fully replicated, output following the input), then the
 * generator stops, the job drains, and the audit judges the output. A soak run ({@link
 * SoakSchedule}) injects on a cadence instead, for a duration. Meanwhile a timeline of input rate
 * and output lag is sampled every second, and the job's failovers are collected to find those no
 * fault explains.
 */
final class ChaosRun {
  /** The main class of the e2e-tests module's jar: the ledger job with its failure injector. */
  static final String TEST_JOB_MAIN_CLASS = "tally.e2e.FaultInjectingLedgerJob";

  private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);
  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault());
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
  private static final Duration JOB_START = Duration.ofMinutes(3);
  private static final Duration POLL = Duration.ofMillis(250);

  /** Steadiness checks ask Kafka and Flink several questions: not more often than this. */
  private static final Duration STEADY_POLL = Duration.ofSeconds(1);

  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);

  private final ClusterLayout layout;
  private final ChaosSettings settings;
  private final Path jobJar;
  private final Consumer<String> progress;
  private final boolean keepJob;

  ChaosRun(
      ClusterLayout layout,
      ChaosSettings settings,
      Path jobJar,
      boolean keepJob,
      Consumer<String> progress) {
    this.layout = layout;
    this.settings = settings;
    this.jobJar = jobJar;
    this.keepJob = keepJob;
    this.progress = progress;
  }

  /**
   * The run's topics, consumer group and transactional ids: nothing shared with other jobs or runs.
   */
  record RunNames(String runId) {
    String prefix() {
      return "tally." + runId;
    }

    Topics topics() {
      return Topics.underPrefix(prefix());
    }

    String idPrefix() {
      return "tally-" + runId;
    }
  }

  private Path copyJobJar(Path runDir) {
    Path copy = runDir.resolve("tally-ledger-chaos.jar");
    try {
      Files.createDirectories(runDir);
      return Files.copy(jobJar, copy);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the job jar " + jobJar + " to " + copy, e);
    }
  }

  ChaosReport run() {
    Instant startedAt = Instant.now();
    long startNanos = System.nanoTime();
    RunNames names = new RunNames("chaos-" + RUN_ID.format(startedAt));
    Path runDir = layout.chaosDir().resolve(names.runId());
    try (ChaosRunLock lock = ChaosRunLock.acquire(layout.chaosDir(), names.runId());
        ChaosTarget cluster = new ChaosTarget(layout)) {
      List<String> unhealthy = cluster.unhealthyProcesses();
      if (!unhealthy.isEmpty()) {
        throw new IllegalStateException(
            "the cluster is not healthy ("
                + String.join(", ", unhealthy)
                + "): see 'bin/tally cluster status'");
      }
      for (FaultKind kind : settings.kinds()) {
        cluster
            .cannotInject(kind)
            .ifPresent(
                reason -> {
                  throw new IllegalStateException(reason);
                });
      }
      TopicProvisioner.ensureTopics(
          cluster.kafka(), names.topics().ledger(), ClusterTopics.PARTITIONS);
      if (cluster.state().secured()) {
        grantLeastPrivilege(cluster, names);
      }
      // A copy: a rebuild of e2e-tests/target during the run must not change the jar it submits.
      Path jar = copyJobJar(runDir);
      Path triggers = runDir.resolve("triggers");
      String jobId = submit(cluster, names, jar, triggers);
      progress.accept(
          "Run "
              + names.runId()
              + ": job "
              + jobId
              + " on topics "
              + names.prefix()
              + ".*, "
              + cluster.rest().baseUrl()
              + "/#/job/running/"
              + jobId
              + "/overview");

      Run run = new Run(cluster, names, jobId, triggers);
      Thread guard = new Thread(run::abandon, "tally-chaos-interrupted");
      Runtime.getRuntime().addShutdownHook(guard);
      try {
        run.execute();
      } finally {
        run.finish();
        removeHook(guard);
      }
      List<String> files = run.writeTimeline(runDir, names.runId());
      ChaosReport report =
          new ChaosReport(
              names.runId(),
              jobId,
              startedAt,
              Duration.ofNanos(System.nanoTime() - startNanos),
              settings.asMap(),
              run.records,
              run.generated,
              run.audit,
              run.availability,
              run.measured,
              run.unavailable,
              settings.lagThreshold(),
              run.abortReason,
              FaultWindow.failoversWithoutFault(
                  FaultWindow.of(run.records, FaultWindow.GRACE), run.failovers),
              sinkCommits(names),
              files);
      write(runDir.resolve("report.json"), report.toJson());
      write(runDir.resolve("report.txt"), report.toText());
      return report;
    }
  }

  private SinkCommitLog sinkCommits(RunNames names) {
    try {
      return SinkCommitLog.read(layout.logsDir(), names.idPrefix());
    } catch (UncheckedIOException e) {
      LOG.warn("Chaos: {}: the sink's commit failures are not reported", e.getMessage());
      return SinkCommitLog.NONE;
    }
  }

  /** Path of the JSON report of a run. */
  static Path reportFile(ClusterLayout layout, String runId) {
    return layout.chaosDir().resolve(runId).resolve("report.json");
  }

  /**
   * On a secured cluster every client of the run is its own principal with only the ACLs its role
   * needs, on this run's topics and job identity: the job as {@code ledger}, the generator as
   * {@code generator}, the audit and the output monitor as {@code auditor}.
   */
  private void grantLeastPrivilege(ChaosTarget cluster, RunNames names) {
    Principals principals = Principals.DEFAULTS;
    List<TallyAcl> acls = new ArrayList<>();
    acls.addAll(
        LeastPrivilegeAcls.ledgerJob(
            principals.ledger(),
            names.topics(),
            new JobIdentity(names.idPrefix(), names.idPrefix())));
    acls.addAll(LeastPrivilegeAcls.generator(principals.generator(), names.topics()));
    acls.addAll(LeastPrivilegeAcls.auditor(principals.auditor(), names.topics()));
    try (Admin admin = cluster.kafka().createAdmin(Map.of())) {
      LeastPrivilegeAcls.apply(admin, acls);
    }
    progress.accept(
        "Secured cluster: "
            + acls.size()
            + " least-privilege ACLs on "
            + names.prefix()
            + ".* for ledger (the job), generator and auditor (audit and output monitor)");
  }

  private String submit(ChaosTarget cluster, RunNames names, Path jar, Path triggers) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bootstrap-servers", cluster.bootstrapServers(),
                "--input-topic", names.topics().transactions(),
                "--balances-topic", names.topics().balances(),
                "--alerts-topic", names.topics().alerts(),
                "--dlq-topic", names.topics().dlq(),
                "--group-id", names.idPrefix(),
                "--transactional-id-prefix", names.idPrefix(),
                "--parallelism", Integer.toString(settings.parallelism()),
                "--failure-trigger-dir", triggers.toString()));
    cluster
        .state()
        .clientFile(Principals.DEFAULTS.ledger())
        .ifPresent(file -> args.addAll(List.of("--kafka-properties", file.toString())));
    try {
      Files.createDirectories(triggers);
      return JobSubmission.submit(
          cluster.state(),
          jar,
          TEST_JOB_MAIN_CLASS,
          args,
          null,
          settings.parallelism(),
          line -> LOG.debug("flink: {}", line));
    } catch (IOException e) {
      throw new IllegalStateException("submitting the chaos job failed: " + e.getMessage(), e);
    }
  }

  /** The mutable part of a run: generator, monitor, results. */
  private final class Run {
    private final ChaosTarget cluster;
    private final RunNames names;
    private final String jobId;
    private final Path triggers;
    private final List<FaultRecord> records = new ArrayList<>();

    /** Every failover seen in the job's exception history (short, and emptied by a new JM). */
    private final Set<JobFailover> failovers = new LinkedHashSet<>();

    private Timeline timeline;
    private Instant measureStartedAt;
    private ScheduledExecutorService sampling;
    private TransactionProducer generator;
    private Thread generating;
    private OutputFlowMonitor monitor;
    private volatile boolean finished;
    private int brokerPartitions;
    private final Supervisor supervisor;
    long generated;
    AuditReport audit;
    double availability = 1.0;
    Duration measured = Duration.ZERO;
    Duration unavailable = Duration.ZERO;
    String abortReason;

    Run(ChaosTarget cluster, RunNames names, String jobId, Path triggers) {
      this.cluster = cluster;
      this.names = names;
      this.jobId = jobId;
      this.triggers = triggers;
      this.supervisor = new Supervisor(cluster, settings.restartDelay());
    }

    void execute() {
      awaitJobRunning();
      startGenerator();
      monitor =
          new OutputFlowMonitor(
              cluster.kafka(Principals.DEFAULTS.auditor()),
              names.topics().balances(),
              generator::sent,
              settings.lagThreshold());
      monitor.start();
      String notFlowing = awaitSteady(JOB_START);
      if (notFlowing != null) {
        abortReason = "the job's output did not flow before any fault: " + notFlowing;
        return;
      }
      Optional<SoakSchedule> soak = settings.soak();
      progress.accept(
          "Output flowing; warming up for "
              + settings.warmUp().toSeconds()
              + " s, then "
              + soak.map(
                      s ->
                          "a fault due every "
                              + ChaosReport.human(s.period())
                              + " for "
                              + ChaosReport.human(s.duration())
                              + " (at most "
                              + s.capacity()
                              + ")")
                  .orElse(settings.count() + " faults")
              + " ("
              + settings.kinds().stream().map(FaultKind::cliName).toList()
              + ")");
      Deadline.sleep(settings.warmUp());
      long measureStart = System.nanoTime();
      monitor.measureAvailability(true);
      startTimeline(measureStart);
      Random targets = new Random(settings.seed());
      if (soak.isPresent()) {
        injectOnCadence(soak.get(), measureStart, targets);
      } else {
        injectOneAfterTheOther(targets);
      }
      if (abortReason == null) {
        String notSteady = awaitSteady(settings.recoveryTimeout());
        if (notSteady != null) {
          abortReason = "the cluster was not steady after the last fault: " + notSteady;
        }
      }
      collectFailovers();
      stopTimeline();
      monitor.measureAvailability(false);
      measured = Duration.ofNanos(System.nanoTime() - measureStart);
      availability = monitor.availability();
      unavailable = monitor.unavailable();
      stopGenerator();
      progress.accept(
          String.format(
              "Generator stopped after %,d transactions; auditing (waiting up to %d s for the job"
                  + " to drain)...",
              generated, settings.auditTimeout().toSeconds()));
      try {
        audit =
            new LedgerAudit(
                    AuditSettings.defaults(cluster.kafka(Principals.DEFAULTS.auditor()))
                        .withTopics(names.topics())
                        .withTimeout(settings.auditTimeout()))
                .run();
      } catch (AuditException e) {
        LOG.warn("Chaos: the audit failed: {}", e.getMessage());
      }
    }

    /** Each fault once the previous one recovered, the cluster is steady and the spacing passed. */
    private void injectOneAfterTheOther(Random targets) {
      List<FaultKind> schedule =
          FaultSchedule.of(settings.kinds(), settings.count(), settings.seed());
      for (int i = 0; i < schedule.size(); i++) {
        if (!steadyBefore(i + 1)) {
          return;
        }
        Deadline.sleep(settings.spacing());
        if (!injectAndObserve(schedule.get(i), i + 1, schedule.size(), targets)) {
          return;
        }
      }
    }

    /**
     * A soak: fault k at its due time, or as soon as the cluster is steady again when the previous
     * recovery overran it; then steady running until the end of the duration.
     */
    private void injectOnCadence(SoakSchedule soak, long measureStart, Random targets) {
      for (int k = 0; ; k++) {
        if (!steadyBefore(k + 1)) {
          return;
        }
        Optional<Duration> at = soak.injectionTime(k, since(measureStart));
        if (at.isEmpty()) {
          break;
        }
        Duration wait = at.get().minus(since(measureStart));
        if (wait.compareTo(Duration.ZERO) > 0) {
          Deadline.sleep(wait);
          // Minutes may have passed: the cluster may have failed over on its own meanwhile.
          if (!steadyBefore(k + 1)) {
            return;
          }
        }
        if (!injectAndObserve(soak.kind(k), k + 1, soak.capacity(), targets)) {
          return;
        }
      }
      Duration left = soak.duration().minus(since(measureStart));
      if (left.compareTo(Duration.ZERO) > 0) {
        progress.accept(
            "No room for another fault (each gets "
                + ChaosReport.human(soak.period())
                + "); running on until the end of the "
                + ChaosReport.human(soak.duration())
                + ", "
                + ChaosReport.human(left)
                + " from now");
        Deadline.sleep(left);
      }
    }

    /** False (and the run aborts) when the cluster is not steady within the recovery timeout. */
    private boolean steadyBefore(int number) {
      String notSteady = awaitSteady(settings.recoveryTimeout());
      if (notSteady != null) {
        abortReason =
            "the cluster was not steady before fault "
                + number
                + " within "
                + settings.recoveryTimeout().toSeconds()
                + " s: "
                + notSteady;
      }
      return notSteady == null;
    }

    /** False (and the run aborts) when the fault did not recover. */
    private boolean injectAndObserve(FaultKind kind, int number, int total, Random targets) {
      Fault fault = create(kind, targets);
      FaultRecord record = observe(number, total, fault);
      records.add(record);
      if (!record.recovered()) {
        abortReason =
            "fault "
                + record.number()
                + " ("
                + record.kind()
                + ") did not recover within "
                + settings.recoveryTimeout().toSeconds()
                + " s";
      }
      return record.recovered();
    }

    private static Duration since(long startNanos) {
      return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * Once a second from now until {@link #stopTimeline}: input rate and output lag, for
     * timeline.csv and timeline.png.
     */
    private void startTimeline(long measureStart) {
      measureStartedAt = Instant.now();
      timeline = new Timeline(measureStart, generator.sent());
      sampling =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "tally-chaos-timeline");
                thread.setDaemon(true);
                return thread;
              });
      sampling.scheduleAtFixedRate(
          () -> {
            try {
              Duration lag = monitor.outputLag();
              timeline.sample(
                  System.nanoTime(),
                  generator.sent(),
                  lag,
                  lag.compareTo(settings.lagThreshold()) <= 0);
            } catch (RuntimeException e) { // a throwing task would never be run again
              LOG.warn("Chaos: a timeline sample failed: {}", e.toString());
            }
          },
          1,
          1,
          TimeUnit.SECONDS);
    }

    private void stopTimeline() {
      if (sampling != null) {
        sampling.shutdownNow();
      }
    }

    /**
     * Writes timeline.csv and timeline.png into the run directory; the names written. A failure is
     * logged, not thrown: the report matters more than its figures.
     */
    List<String> writeTimeline(Path runDir, String runId) {
      if (timeline == null) {
        return List.of();
      }
      List<Timeline.Sample> samples = timeline.samples();
      List<String> written = new ArrayList<>();
      quietly(
          "write " + Timeline.CSV,
          () -> {
            Timeline.writeCsv(samples, runDir.resolve(Timeline.CSV));
            written.add(Timeline.CSV);
          });
      if (!samples.isEmpty()) {
        double endMinutes = samples.get(samples.size() - 1).elapsedSeconds() / 60;
        List<TimelineChart.FaultBand> bands =
            records.stream()
                .map(f -> TimelineChart.FaultBand.of(f, measureStartedAt, endMinutes))
                .toList();
        quietly(
            "draw " + Timeline.PNG,
            () -> {
              TimelineChart.write(
                  "Chaos run " + runId + ": input rate and output lag, faults shaded",
                  samples,
                  bands,
                  runDir.resolve(Timeline.PNG));
              written.add(Timeline.PNG);
            });
      }
      return written;
    }

    /** Asked around every fault and at the end: the history keeps 16 entries, a new JM none. */
    private void collectFailovers() {
      failovers.addAll(cluster.failovers(jobId));
    }

    private void awaitJobRunning() {
      boolean running = Deadline.in(JOB_START).await(() -> cluster.jobRunning(jobId));
      if (!running) {
        throw new IllegalStateException(
            "the chaos job "
                + jobId
                + " did not run all its tasks within "
                + JOB_START.toSeconds()
                + " s (see the Web UI and "
                + layout.logsDir()
                + ")");
      }
    }

    private void startGenerator() {
      GeneratorSettings generatorSettings =
          GeneratorSettings.defaults()
              .withTopic(names.topics().transactions())
              .withRate(settings.rate())
              .withSeed(settings.seed())
              .withDuplicateRatio(0.02)
              .withInvalidRatio(0.005)
              .withPartitions(ClusterTopics.PARTITIONS);
      generator =
          TransactionProducer.connect(
              cluster.kafka(Principals.DEFAULTS.generator()), generatorSettings);
      generating =
          new Thread(
              () -> {
                try {
                  generator.run();
                } catch (RuntimeException e) {
                  LOG.error("Chaos: the generator stopped: {}", e.getMessage());
                }
              },
              "tally-chaos-generator");
      generating.start();
    }

    private void stopGenerator() {
      if (generator == null) {
        return;
      }
      generator.stop();
      try {
        generating.join(TimeUnit.MINUTES.toMillis(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      generated = generator.sent();
    }

    /**
     * A TaskManager fault hits one that runs tasks: after an earlier failover both slots of the job
     * may be on one.
     */
    private Fault create(FaultKind kind, Random targets) {
      List<String> taskManagers = cluster.busyTaskManagers();
      return switch (kind) {
        case TM_KILL ->
            new TaskManagerKill(
                cluster, jobId, pick(taskManagers, targets), settings.restartDelay());
        case TM_HANG ->
            new TaskManagerHang(
                cluster,
                jobId,
                pick(taskManagers, targets),
                settings.hangDuration(),
                settings.restartDelay());
        case JM_KILL -> new JobManagerKill(cluster, jobId, settings.restartDelay());
        case BROKER_KILL ->
            new BrokerKill(cluster, "kafka-" + (1 + targets.nextInt(3)), settings.restartDelay());
        case JOB_EXCEPTION -> new JobExceptionFault(cluster, jobId, triggers);
        case PARTITION_TM ->
            new TaskManagerPartition(
                cluster,
                jobId,
                pick(taskManagers, targets),
                settings.networkFaultDuration(),
                settings.restartDelay());
        case PARTITION_BROKER -> partitionBroker(targets);
        case PARTITION_KAFKA -> {
          List<String> brokers = new ArrayList<>(List.of("kafka-1", "kafka-2", "kafka-3"));
          brokers.remove(targets.nextInt(brokers.size()));
          yield new KafkaMajorityPartition(
              cluster, jobId, brokers, settings.networkFaultDuration());
        }
        case SLOW_NETWORK ->
            new SlowNetwork(
                cluster,
                jobId,
                targets.nextBoolean()
                    ? "kafka-" + (1 + targets.nextInt(3))
                    : pick(taskManagers, targets),
                settings.networkFaultDuration());
        case DISK_FULL ->
            new DiskFull(
                cluster,
                1 + targets.nextInt(3),
                settings.networkFaultDuration(),
                settings.restartDelay());
      };
    }

    /**
     * The broker a partition hits: the active KRaft controller the first time, then one that
     * coordinates the job's transactions, then any. So a short run covers the two that matter most.
     */
    private Fault partitionBroker(Random targets) {
      int controller = cluster.activeController();
      Set<Integer> coordinators = cluster.transactionCoordinators(names.idPrefix());
      int node;
      if (brokerPartitions == 0 && controller > 0) {
        node = controller;
      } else if (brokerPartitions == 1 && !coordinators.isEmpty()) {
        node = coordinators.stream().sorted().findFirst().orElseThrow();
      } else {
        node = 1 + targets.nextInt(3);
      }
      brokerPartitions++;
      List<String> roles = new ArrayList<>();
      if (node == controller) {
        roles.add("the active KRaft controller");
      }
      if (coordinators.contains(node)) {
        roles.add("coordinator of the job's transactions");
      }
      return new BrokerPartition(
          cluster, node, String.join(", ", roles), settings.networkFaultDuration());
    }

    /** Injects {@code fault}, repairs it in the background, and times detection and recovery. */
    private FaultRecord observe(int number, int total, Fault fault) {
      collectFailovers();
      long firstNewTransaction = generator.sent();
      Instant injectedAt = Instant.now();
      long t0 = System.nanoTime();
      progress.accept(
          String.format(
              "Fault %d/%d at %s: %s of %s%s",
              number,
              total,
              CLOCK.format(injectedAt),
              fault.kind(),
              fault.target(),
              fault.note().isEmpty() ? "" : " (" + fault.note() + ")"));
      fault.inject();
      AtomicReference<RuntimeException> repairFailure = new AtomicReference<>();
      Thread repairing = startRepair(fault, repairFailure);
      Recovery recovery =
          awaitRecovery(fault, injectedAt, t0, firstNewTransaction, repairing, repairFailure);
      awaitRepairThread(repairing);
      collectFailovers();
      return record(
          number, fault, injectedAt, recovery, repairFailure.get(), supervisor.takeRestarted());
    }

    private static Thread startRepair(Fault fault, AtomicReference<RuntimeException> failure) {
      Thread repairing =
          new Thread(
              () -> {
                try {
                  fault.repair();
                } catch (RuntimeException e) {
                  failure.set(e);
                }
              },
              "tally-chaos-repair");
      repairing.start();
      return repairing;
    }

    /** Milliseconds from the injection to each milestone; -1 until it happened. */
    private static final class Recovery {
      long detected = -1;
      long flowing = -1;
      long repaired = -1;
      boolean recovered;
    }

    /** Polls until output flows again, the fault is repaired and the job runs, or the timeout. */
    private Recovery awaitRecovery(
        Fault fault,
        Instant injectedAt,
        long t0,
        long firstNewTransaction,
        Thread repairing,
        AtomicReference<RuntimeException> repairFailure) {
      Recovery r = new Recovery();
      Deadline deadline = Deadline.in(settings.recoveryTimeout());
      long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
      while (!deadline.expired() && repairFailure.get() == null) {
        supervisor.restartExited(fault.heldProcesses());
        if (r.detected < 0) {
          r.detected =
              fault
                  .detectedAtMillis(injectedAt.toEpochMilli())
                  .map(at -> Math.max(0, at - injectedAt.toEpochMilli()))
                  .orElse(-1L);
        }
        if (r.flowing < 0) {
          r.flowing =
              monitor.firstVisibleAtOrAfter(firstNewTransaction).stream()
                  .map(at -> TimeUnit.NANOSECONDS.toMillis(at - t0))
                  .findFirst()
                  .orElse(-1L);
        }
        // Asked on every round (not only once the repair finished): it must see short-lived states.
        boolean healthy = fault.repaired();
        if (r.repaired < 0 && !repairing.isAlive() && healthy) {
          r.repaired = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        }
        if (r.flowing >= 0 && r.repaired >= 0 && cluster.jobRunning(jobId)) {
          r.recovered = true;
          return r;
        }
        if (System.nanoTime() - nextProgress >= 0) {
          nextProgress += PROGRESS_EVERY.toNanos();
          progress.accept(
              String.format(
                  "  ... %d s: detected %s, output flowing %s, repaired %s",
                  TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0),
                  yesNo(r.detected),
                  yesNo(r.flowing),
                  yesNo(r.repaired)));
        }
        Deadline.sleep(POLL);
      }
      return r;
    }

    private FaultRecord record(
        int number,
        Fault fault,
        Instant injectedAt,
        Recovery r,
        RuntimeException repairFailure,
        List<String> restartedBySupervisor) {
      String note = fault.note();
      if (!restartedBySupervisor.isEmpty()) {
        note =
            withClause(
                note,
                String.join(", ", restartedBySupervisor)
                    + " exited meanwhile and "
                    + (restartedBySupervisor.size() == 1 ? "was" : "were")
                    + " restarted");
      }
      if (repairFailure != null) {
        note = withClause(note, "repair failed: " + repairFailure.getMessage());
      }
      long restarts = cluster.failuresSince(jobId, injectedAt.toEpochMilli());
      FaultRecord record =
          new FaultRecord(
              number,
              fault.kind(),
              fault.target(),
              injectedAt,
              r.detected,
              r.flowing,
              r.repaired,
              r.recovered,
              restarts,
              note);
      progress.accept(
          String.format(
              "  %s %s: detected after %s, output flowing again after %s, repaired after %s, "
                  + "%d job failover(s)%s",
              fault.kind(),
              r.recovered ? "recovered" : "DID NOT RECOVER",
              ChaosReport.seconds(r.detected),
              ChaosReport.seconds(r.flowing),
              ChaosReport.seconds(r.repaired),
              restarts,
              note.isEmpty() ? "" : " [" + note + "]"));
      return record;
    }

    /** A hang must end with SIGCONT and a kill with a restart, even when the recovery timed out. */
    private void awaitRepairThread(Thread repairing) {
      try {
        repairing.join(
            settings.hangDuration().plus(settings.restartDelay()).plusMinutes(2).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /**
     * Waits until every process is healthy, the job runs all its tasks, no partition is
     * under-replicated, and output answers input generated from now on; null when it is, else what
     * is not.
     */
    private String awaitSteady(Duration timeout) {
      long from = generator.sent();
      String[] missing = {""};
      boolean steady =
          Deadline.in(timeout)
              .await(
                  () -> {
                    supervisor.restartExited(Set.of());
                    List<String> unhealthy = cluster.unhealthyProcesses();
                    if (!unhealthy.isEmpty()) {
                      missing[0] = "unhealthy: " + unhealthy;
                      return false;
                    }
                    if (!cluster.jobRunning(jobId)) {
                      missing[0] = "the job is not running all its tasks";
                      return false;
                    }
                    int underReplicated = cluster.underReplicatedPartitions();
                    if (underReplicated != 0) {
                      missing[0] =
                          underReplicated < 0
                              ? "Kafka did not answer"
                              : underReplicated + " under-replicated partitions";
                      return false;
                    }
                    if (monitor.firstVisibleAtOrAfter(from).isEmpty()) {
                      missing[0] = "no output for the latest input yet";
                      return false;
                    }
                    return true;
                  },
                  () -> null,
                  STEADY_POLL);
      return steady ? null : missing[0];
    }

    /** Ctrl-C: leave the cluster as found (no stopped or dead process) and the job cancelled. */
    void abandon() {
      if (finished) {
        return;
      }
      System.err.println(
          "tally chaos: interrupted; resuming/restarting hit processes and cancelling job "
              + jobId);
      finish();
    }

    /** Every step on its own: one failing must not leave a process stopped or the job running. */
    synchronized void finish() {
      if (finished) {
        return;
      }
      finished = true;
      quietly("stop the timeline", this::stopTimeline);
      quietly(
          "stop the generator",
          () -> {
            if (generator != null) {
              generator.stop();
              generating.join(TimeUnit.SECONDS.toMillis(30));
              generated = Math.max(generated, generator.sent());
              generator.close();
            }
          });
      quietly(
          "stop the output monitor",
          () -> {
            if (monitor != null) {
              monitor.close();
            }
          });
      quietly("repair every process", cluster::repairEverything);
      if (!keepJob) {
        quietly(
            "cancel job " + jobId,
            () -> {
              cluster.rest().cancel(jobId);
              progress.accept(
                  "Cancelled job " + jobId + " (its topics " + names.prefix() + ".* are kept)");
            });
      }
    }
  }

  /** A cleanup step that may fail without stopping the others. */
  private interface Step {
    void run() throws Exception;
  }

  private static void quietly(String what, Step step) {
    try {
      step.run();
    } catch (Exception | LinkageError e) {
      LOG.warn("Chaos: could not {}: {}", what, e.toString());
    }
  }

  private static <T> T pick(List<T> list, Random random) {
    return list.get(random.nextInt(list.size()));
  }

  /** "{@code note}; {@code clause}", or just the clause when there is no note yet. */
  private static String withClause(String note, String clause) {
    return note.isEmpty() ? clause : note + "; " + clause;
  }

  private static String yesNo(long millis) {
    return millis >= 0 ? "yes" : "not yet";
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs now
    }
  }
}
