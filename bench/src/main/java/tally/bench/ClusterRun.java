package tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.cluster.ClusterLayout;
import tally.cluster.ClusterPorts;
import tally.cluster.ClusterProcess;
import tally.cluster.ClusterState;
import tally.cluster.FlinkCli;
import tally.cluster.FlinkRestClient;
import tally.cluster.LedgerSubmission;
import tally.cluster.ProcessCluster;
import tally.cluster.ProcessControl;
import tally.cluster.ProcessRole;
import tally.cluster.TallyHome;
import tally.connectors.kafka.KafkaConnection;
import tally.jobs.common.Delivery;
import tally.jobs.common.Topics;
import tally.support.FileTrees;
import tally.testkit.audit.ConsumerGroupLag;

/**
 * What a user runs on a cluster: the no-Docker process cluster ({@code cluster up --network
 * loopback}: ZooKeeper, three brokers, a JobManager and two TaskManagers, each its own process) in
 * a temp dir, the backlog preloaded into its own Kafka, and the ledger job submitted with {@code
 * flink run -d} (Flink's CLI, as {@code bin/tally flink run} does). Measured from the submission
 * until the job's group has committed the input; CPU of the JobManager, both TaskManagers and the
 * {@code flink run} client added up from {@code /proc}. The cluster is always torn down.
 */
final class ClusterRun {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterRun.class);
  static final String CONTENDER = "ledger job on the process cluster (`flink run`), exactly-once";
  private static final Duration CANCEL_LIMIT = Duration.ofSeconds(60);

  private final BenchSettings settings;
  private final Path dir;

  ClusterRun(BenchSettings settings, Path dir) {
    this.settings = settings;
    this.dir = dir;
  }

  UserRunResult execute() throws Exception {
    long records = settings.records();
    TallyHome home = TallyHome.locate();
    Path jar = home.jobJar();
    Files.createDirectories(dir);
    ClusterLayout layout = new ClusterLayout(dir);
    ProcessCluster cluster = new ProcessCluster(layout);
    Thread teardownOnExit = new Thread(() -> down(cluster, layout), "bench-cluster-teardown");
    Runtime.getRuntime().addShutdownHook(teardownOnExit);
    try {
      LOG.info("Bench cluster: starting the process cluster under {} (loopback)", dir);
      ClusterState state =
          cluster.up(
              home,
              ClusterPorts.free(),
              false,
              ProcessCluster.NetworkMode.LOOPBACK,
              line -> LOG.info("Bench cluster: {}", line));
      return measure(state, layout, jar, records);
    } finally {
      down(cluster, layout);
      try {
        Runtime.getRuntime().removeShutdownHook(teardownOnExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs now
      }
      FileTrees.deleteRecursively(dir);
    }
  }

  private UserRunResult measure(ClusterState state, ClusterLayout layout, Path jar, long records)
      throws Exception {
    String name = "bench-cluster";
    Topics topics = Backlog.topics(name);
    KafkaConnection kafka = state.kafka();
    String bootstrap = state.ports().bootstrapServers();
    try (Admin admin = kafka.createAdmin(Map.of());
        ConsumerGroupLag lag = new ConsumerGroupLag(kafka)) {
      Backlog.preload(admin, bootstrap, topics, settings, records);
      List<ClusterProcess> flink = new ArrayList<>(state.processes(ProcessRole.JOBMANAGER));
      flink.addAll(state.processes(ProcessRole.TASKMANAGER));
      long cpuBefore = cpu(flink);
      long clientCpuBefore = ProcStat.ownChildrenCpuNanos();
      List<String> args = new ArrayList<>(List.of("run", "-d", jar.toString()));
      args.add(LedgerSubmission.JOB);
      args.addAll(List.of("--bootstrap-servers", bootstrap));
      args.addAll(ColdProcessRun.jobArgs(topics, name, Delivery.EXACTLY_ONCE, settings));
      LOG.info(
          "Bench cluster: {} records preloaded, submitting: flink {}",
          Format.integer(records),
          String.join(" ", args));
      long submitted = System.nanoTime();
      FlinkCli.Result run = new FlinkCli(layout).run(args, line -> LOG.debug("flink: {}", line));
      long clientCpu = ProcStat.ownChildrenCpuNanos() - clientCpuBefore;
      String jobId =
          run.jobId()
              .filter(id -> run.succeeded())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "flink run exited with " + run.exitCode() + ":\n" + run.text()));
      LOG.info(
          "Bench cluster: job {} submitted in {} s",
          jobId,
          Format.decimal((System.nanoTime() - submitted) / 1e9, 1));
      FlinkRestClient rest = state.rest();
      CommittedProgress progress = new CommittedProgress(submitted, records);
      long cpu;
      try {
        progress.follow(
            lag, name, topics.transactions(), name, failedJob(rest, jobId), Duration.ofMinutes(20));
        cpu = cpu(flink) - cpuBefore + clientCpu;
      } finally {
        cancel(rest, jobId);
      }
      UserRunResult result =
          new UserRunResult(
              CONTENDER,
              records,
              progress.wallSeconds(),
              progress.steadyRecordsPerSecond(),
              cpu,
              "JobManager + 2 TaskManagers + the `flink run` client, from submission",
              null,
              null,
              null);
      LOG.info(
          "Bench cluster: {} records/s from submission ({} s), steady {} records/s, {} µs CPU per"
              + " record; auditing the output",
          Format.integer(result.wallRecordsPerSecond()),
          Format.decimal(result.wallSeconds(), 1),
          Format.integer(result.steadyRecordsPerSecond()),
          Format.decimal(result.cpuMicrosPerRecord(), 1));
      AuditedOutput audit = AuditedOutput.audit(kafka, topics);
      LOG.info("Bench cluster: {}", audit.verdict());
      return result.withAudit(audit);
    }
  }

  /** A reason when the job has ended or failed (checked every 2 s), else null. */
  private static java.util.function.Supplier<String> failedJob(FlinkRestClient rest, String id) {
    long[] next = {0};
    return () -> {
      if (System.nanoTime() < next[0]) {
        return null;
      }
      next[0] = System.nanoTime() + 2_000_000_000L;
      try {
        Optional<FlinkRestClient.JobSummary> job = rest.job(id);
        if (job.isEmpty()) {
          return null;
        }
        String s = job.get().state();
        return s.equals("FAILED") || s.equals("CANCELED") || s.equals("FINISHED")
            ? "the job is " + s
            : null;
      } catch (IOException e) {
        return null; // a busy JobManager answering late is not a failure
      }
    };
  }

  private static long cpu(List<ClusterProcess> processes) {
    long sum = 0;
    for (ClusterProcess p : processes) {
      sum +=
          ProcStat.cpuNanos(p.pid())
              .orElseThrow(
                  () -> new IllegalStateException(p.name() + " (pid " + p.pid() + ") is gone"));
    }
    return sum;
  }

  private static void cancel(FlinkRestClient rest, String jobId) {
    try {
      rest.cancel(jobId);
      long deadline = System.nanoTime() + CANCEL_LIMIT.toNanos();
      while (System.nanoTime() < deadline) {
        Optional<FlinkRestClient.JobSummary> job = rest.job(jobId);
        if (job.isEmpty() || job.get().state().equals("CANCELED")) {
          return;
        }
        Thread.sleep(200);
      }
      LOG.warn("Bench cluster: job {} not cancelled within {} s", jobId, CANCEL_LIMIT.toSeconds());
    } catch (IOException e) {
      LOG.warn("Bench cluster: could not cancel job {}: {}", jobId, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Every process of the cluster, by pid (idempotent: a second call finds nothing to stop). */
  private static void down(ProcessCluster cluster, ClusterLayout layout) {
    try {
      Optional<ClusterState> state = ClusterState.load(layout);
      if (state.isEmpty() && ProcessControl.strays(layout, List.of()).isEmpty()) {
        return;
      }
      int stopped = cluster.down(state);
      LOG.info("Bench cluster: down ({} processes stopped)", stopped);
    } catch (RuntimeException e) {
      LOG.warn("Bench cluster: could not stop every process: {}", e.toString());
    }
  }
}
