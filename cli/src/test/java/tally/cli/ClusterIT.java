package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.cluster.ClusterLayout;
import tally.cluster.ClusterNetwork;
import tally.cluster.ClusterState;
import tally.cluster.FlinkCli;
import tally.cluster.FlinkRestClient;
import tally.cluster.LedgerSubmission;
import tally.cluster.ProcessCluster;
import tally.cluster.TallyHome;
import tally.connectors.kafka.KafkaConnection;
import tally.support.Deadline;
import tally.testkit.audit.AuditReport;
import tally.testkit.audit.AuditSettings;
import tally.testkit.audit.LedgerAudit;
import tally.testkit.generate.GeneratorSettings;
import tally.testkit.generate.TopicProvisioner;
import tally.testkit.generate.TransactionProducer;

/**
 * The no-Docker cluster end to end, as docs/cluster.md tells a user to run it: {@code cluster up};
 * the ledger job through Flink's own CLI, stopped with a savepoint and resumed at parallelism 1 ->
 * 2 -> 4 -> 1, cancelled and resumed from its retained checkpoint, and replayed from the first
 * savepoint into versioned topics, with a clean audit after every step; then {@code cluster down},
 * after which no process of the cluster may be left ({@link ProcessClusterFixture}). Then a chaos
 * run with one fault of each kind but the two SecureClusterIT injects: on CI (root) the cluster has
 * its own network and broker disks, so partitions, a slow link and a full disk come with the
 * JobManager kill, the TaskManager hang and the job exception.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterIT.class);
  private static final Duration JOB_START = Duration.ofMinutes(3);
  private static final Duration AUDIT_TIMEOUT = Duration.ofMinutes(2);

  private static ProcessClusterFixture cluster;
  private static ClusterLayout layout;
  private static ClusterState state;
  private static long seed = 100;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = ProcessClusterFixture.up();
    layout = cluster.layout;
    state = cluster.state;
  }

  @AfterAll
  static void stopCluster() throws IOException {
    cluster.close();
  }

  @Test
  @Order(1)
  void savepointRescaleCheckpointResumeAndReplayEachLeaveTheAuditClean() throws Exception {
    FlinkCli flink = new FlinkCli(layout);
    Path jar = TallyHome.locate().jobJar();
    String bootstrap = state.ports().bootstrapServers();
    List<String> ledger = LedgerSubmission.programArgs(bootstrap);

    // On a platform that forbids program configuration (Flink refuses a job that sets any option
    // itself): the job passed no option, so it sets none, and every checkpoint setting is
    // deploy/flink/config.yaml's.
    String job = run(flink, jar, ledger, 1, null, "-Dexecution.program-config.enabled=false");
    assertCheckpointConfig(job, 1_000);
    generate(1_500);
    assertClean("parallelism 1");
    assertPrometheusServesTheJobsMetrics();

    String firstSavepoint = stopWithSavepoint(flink, job);
    generate(500); // while no job runs: the resumed job must catch up
    job = run(flink, jar, ledger, 2, firstSavepoint);
    assertClean("resumed from " + firstSavepoint + " at parallelism 2");

    job = run(flink, jar, ledger, 4, stopWithSavepoint(flink, job));
    generate(500);
    assertClean("rescaled to 4");

    job = run(flink, jar, ledger, 1, stopWithSavepoint(flink, job));
    generate(500);
    assertClean("rescaled back to 1");

    FlinkCli.Result cancel = flink.run(List.of("cancel", job), LOG::info);
    assertThat(cancel.exitCode()).as(cancel.text()).isZero();
    awaitTerminal(job);
    String checkpoint = latestRetainedCheckpoint(job);
    generate(500);
    // flink run -D wins over the cluster's config.yaml: the job does not override it.
    job = run(flink, jar, ledger, 2, checkpoint, "-Dexecution.checkpointing.interval=5s");
    assertCheckpointConfig(job, 5_000);
    assertClean("resumed from retained checkpoint " + checkpoint + " after cancelling");

    ProcessClusterFixture.Result replay =
        ProcessClusterFixture.tally(
            "replay",
            "start",
            "--work-dir",
            cluster.workDir.toString(),
            "--from-savepoint",
            firstSavepoint,
            "--parallelism",
            "1");
    assertThat(replay.exit()).as(replay.text()).isZero();
    assertThat(replay.out()).contains("tally.balances.replay-1");
    ProcessClusterFixture.Result verify =
        ProcessClusterFixture.tally(
            "replay",
            "verify",
            "--work-dir",
            cluster.workDir.toString(),
            "--replay",
            "1",
            "--wait",
            "3min");
    assertThat(verify.exit()).as(verify.text()).isZero();
    assertThat(verify.out()).contains("REPLAY CONSISTENT (caught up)");
    assertClean("live topics after the replay");

    cancelAllJobs();
  }

  @Test
  @Order(2)
  void aChaosRunWithTheNetworkDiskAndHaFaultsRecoversFromEachAndLosesNothing() throws Exception {
    // tm-kill and broker-kill run on the secured cluster (SecureClusterIT): together one of each.
    cluster.chaos(
        cluster.available(
            List.of(
                "jm-kill",
                "tm-hang",
                "job-exception",
                "partition-tm",
                "partition-broker",
                "partition-kafka",
                "slow-network",
                "disk-full")));
  }

  @Test
  @Order(3)
  void anInitProducerIdStrandedByANetworkCutCannotAbortTheSinksNextTransaction() throws Exception {
    Optional<ClusterNetwork> network = state.ownNetwork();
    assumeTrue(
        network.isPresent() && ClusterNetwork.canPartition(),
        "needs the cluster's own network (root) and nftables");
    String bootstrap = state.ports().bootstrapServers();
    String topic = "tally.stranded-init-probe";
    TopicProvisioner.ensureTopics(KafkaConnection.to(bootstrap), List.of(topic), 1);
    boolean rtoCapped = network.get().tcpRtoMaxMillis(PROBE_PROCESS).isPresent();

    // The hazard, so that this test can fail: with the kernel's own retransmission timeout, a
    // request timeout shorter than the cut strands the InitProducerId, and delivered after its
    // retry it aborts the transaction the retry began.
    if (rtoCapped) {
      network.get().tcpRtoMaxMillis(PROBE_PROCESS, ClusterNetwork.KERNEL_TCP_RTO_MAX_MILLIS);
    }
    try {
      assertThat(probe(network.get(), bootstrap, topic, "request.timeout.ms=5000"))
          .contains("request.timeout.ms=5000")
          .contains("ABORTED");
    } finally {
      if (rtoCapped) {
        network.get().tcpRtoMaxMillis(PROBE_PROCESS, ClusterNetwork.TCP_RTO_MAX_MILLIS);
      }
    }
    if (rtoCapped) {
      // The cluster's 2 s cap: the connection has backed off to the cap by the time the client
      // gives up on it, and the kernel drops such an orphan instead of retransmitting it.
      assertThat(probe(network.get(), bootstrap, topic, "request.timeout.ms=5000"))
          .contains("request.timeout.ms=5000")
          .contains("COMMITTED");
    }
    // Tally's sink keeps Kafka's 30 s: the same cut strands no InitProducerId, the transaction
    // commits.
    assertThat(probe(network.get(), bootstrap, topic))
        .contains("request.timeout.ms=30000")
        .contains("COMMITTED");
  }

  // ------------------------------------------------------------------------------------ helpers

  private static final String PROBE_PROCESS = "taskmanager-1";

  /**
   * {@link StrandedInitProbe} in {@link #PROBE_PROCESS}'s namespace, cut off from the brokers for
   * 10 s.
   */
  private static String probe(ClusterNetwork network, String bootstrap, String... args)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StrandedInitProbe.class.getName(),
                bootstrap,
                args[0],
                "10"));
    command.addAll(List.of(args).subList(1, args.length));
    Process probe =
        new ProcessBuilder(network.wrap(PROBE_PROCESS, command)).redirectErrorStream(true).start();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      assertThat(probe.waitFor(3, TimeUnit.MINUTES)).as("the probe ended within 3 min").isTrue();
      String out = output.get(30, TimeUnit.SECONDS);
      LOG.info("Stranded-init probe {}:\n{}", List.of(args).subList(1, args.length), out);
      assertThat(probe.exitValue()).as(out).isZero();
      return out;
    } finally {
      probe.destroyForcibly();
    }
  }

  /**
   * Every Flink process serves Prometheus metrics; the TaskManagers carry the ledger's counters.
   */
  private static void assertPrometheusServesTheJobsMetrics() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // Either JobManager may have won the election; only the leader runs the job's JobMaster.
    String leader = new ProcessCluster(layout).leadingJobManager(state).orElseThrow();
    assertThat(scrape(http, leader)).contains("flink_jobmanager_job_lastCheckpointDuration");
    for (String standby : ProcessCluster.JOBMANAGERS) {
      if (!standby.equals(leader)) {
        assertThat(scrape(http, standby)).doesNotContain("flink_jobmanager_job_");
      }
    }
    // parallelism 1: the one subtask of each operator runs on one of the two TaskManagers
    String taskManagers = scrape(http, "taskmanager-1") + scrape(http, "taskmanager-2");
    assertThat(taskManagers)
        .contains("flink_taskmanager_job_task_operator_tally_applied")
        .contains("flink_taskmanager_job_task_operator_tally_duplicatesDropped");
  }

  /**
   * The Prometheus endpoint of {@code process}: it listens only on loopback, or in the cluster's
   * own network only on the process's private address, never on every interface.
   */
  private static String scrape(HttpClient http, String process) throws Exception {
    int port = state.ports().metricsPort(process);
    String host = state.ports().host(process);
    List<String> allowed =
        state.ownNetwork().isPresent() ? List.of(host) : List.of("127.0.0.1", "::1");
    assertThat(ProcessClusterFixture.listeningAddresses(state.process(process).pid(), port))
        .as("Prometheus endpoint of %s on port %d listens on %s only", process, port, allowed)
        .isNotEmpty()
        .allMatch(allowed::contains);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("Prometheus endpoint on port %d", port).isEqualTo(200);
    return response.body();
  }

  /**
   * What the REST API says the job checkpoints with: {@code interval} ms, and the rest as
   * deploy/flink/config.yaml sets it (the job's own safe defaults would be the same values, but
   * config.yaml sets every one, so the job sets none of them).
   */
  private static void assertCheckpointConfig(String job, long intervalMillis) throws IOException {
    JsonNode config = state.rest().get("/jobs/" + job + "/checkpoints/config");
    LOG.info("Checkpoint configuration of {}: {}", job, config);
    assertThat(config.path("interval").asLong()).as(config.toString()).isEqualTo(intervalMillis);
    assertThat(config.path("mode").asText()).as(config.toString()).isEqualTo("exactly_once");
    assertThat(config.path("timeout").asLong()).as(config.toString()).isEqualTo(120_000);
    assertThat(config.path("tolerable_failed_checkpoints").asInt())
        .as(config.toString())
        .isEqualTo(3);
    assertThat(config.path("externalization").path("enabled").asBoolean())
        .as(config.toString())
        .isTrue();
    assertThat(config.path("externalization").path("delete_on_cancellation").asBoolean())
        .as(config.toString())
        .isFalse();
    assertThat(config.path("state_backend").asText()).as(config.toString()).contains("RocksDB");
  }

  /** flink run -d [-p N] [-s PATH] [FLINK OPTIONS] JAR ledger ...; waits until every task runs. */
  private static String run(
      FlinkCli flink,
      Path jar,
      List<String> ledger,
      int parallelism,
      String restore,
      String... flinkOptions) {
    List<String> args = new ArrayList<>(List.of("run", "-d", "-p", Integer.toString(parallelism)));
    args.addAll(List.of(flinkOptions));
    if (restore != null) {
      args.addAll(List.of("-s", restore));
    }
    args.add(jar.toString());
    args.addAll(ledger);
    FlinkCli.Result result = flink.run(args, LOG::info);
    assertThat(result.exitCode()).as(result.text()).isZero();
    String job =
        result.jobId().orElseThrow(() -> new AssertionError("no job id in: " + result.text()));
    FlinkRestClient rest = state.rest();
    assertThat(Deadline.in(JOB_START).await(() -> allRunning(rest, job)))
        .as("job %s running", job)
        .isTrue();
    return job;
  }

  private static boolean allRunning(FlinkRestClient rest, String job) {
    try {
      return rest.allTasksRunning(job);
    } catch (IOException e) {
      return false;
    }
  }

  private static String stopWithSavepoint(FlinkCli flink, String job) {
    FlinkCli.Result stop =
        flink.run(
            List.of("stop", "--savepointPath", layout.savepointsDir().toUri().toString(), job),
            LOG::info);
    assertThat(stop.exitCode()).as(stop.text()).isZero();
    awaitTerminal(job);
    return stop.savepointPath()
        .orElseThrow(() -> new AssertionError("no savepoint path in: " + stop.text()));
  }

  private static void awaitTerminal(String job) {
    FlinkRestClient rest = state.rest();
    assertThat(
            Deadline.in(Duration.ofMinutes(1))
                .await(
                    () -> {
                      try {
                        return rest.job(job)
                            .map(j -> List.of("FINISHED", "CANCELED", "FAILED").contains(j.state()))
                            .orElse(true);
                      } catch (IOException e) {
                        return false;
                      }
                    }))
        .as("job %s ended", job)
        .isTrue();
  }

  private static String latestRetainedCheckpoint(String job) throws IOException {
    try (Stream<Path> dirs = Files.list(layout.checkpointsDir().resolve(job))) {
      return dirs.filter(dir -> dir.getFileName().toString().startsWith("chk-"))
          .filter(dir -> Files.exists(dir.resolve("_metadata")))
          .max(
              Comparator.comparingInt(
                  dir -> Integer.parseInt(dir.getFileName().toString().substring(4))))
          .map(dir -> dir.toUri().toString())
          .orElseThrow(() -> new AssertionError("no retained checkpoint of job " + job));
    }
  }

  private static void generate(long count) {
    GeneratorSettings settings =
        GeneratorSettings.defaults()
            .withCount(count)
            .withRate(500)
            .withSeed(seed++)
            .withDuplicateRatio(0.02)
            .withInvalidRatio(0.005);
    try (TransactionProducer producer =
        TransactionProducer.connect(state.ports().bootstrapServers(), settings)) {
      producer.run();
    }
  }

  private static void assertClean(String step) {
    AuditReport report =
        new LedgerAudit(
                AuditSettings.defaults(state.ports().bootstrapServers()).withTimeout(AUDIT_TIMEOUT))
            .run();
    LOG.info("After '{}':\n{}", step, report.toText());
    assertThat(report.clean()).as(step + "\n" + report.toText()).isTrue();
  }

  private static void cancelAllJobs() throws IOException {
    FlinkRestClient rest = state.rest();
    for (FlinkRestClient.JobSummary job : rest.jobs()) {
      if (job.state().equals("RUNNING")
          || job.state().equals("CREATED")
          || job.state().equals("RESTARTING")) {
        rest.cancel(job.id());
        awaitTerminal(job.id());
      }
    }
  }
}
