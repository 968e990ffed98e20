package tally.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.errors.AuthorizationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tally.cluster.WebUiPortOption;
import tally.cluster.embedded.FlinkMiniCluster;
import tally.cluster.embedded.LocalFlinkConfigOption;
import tally.connectors.preflight.StartupChecks;
import tally.jobs.common.KafkaOptions;
import tally.jobs.common.RuntimeOptions;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerJobOptions;
import tally.jobs.revenue.RevenueJob;
import tally.jobs.revenue.RevenueJobOptions;
import tally.support.cli.WorkDirOption;
import tally.testkit.generate.PartitionsOption;
import tally.testkit.generate.TopicProvisioner;

/**
 * {@code tally run ledger}: a job against an existing Kafka, on a local MiniCluster with the Web
 * UI.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Runs a Tally job (ledger or revenue) against an existing Kafka on a local Flink"
            + " MiniCluster (with its Web UI).",
    subcommands = {RunCommand.Ledger.class, RunCommand.Revenue.class})
public final class RunCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "name a job: ledger or revenue");
  }

  /** Where the local cluster keeps state, and its UI. */
  static final class LocalClusterOptions {
    @Mixin WebUiPortOption webUi = new WebUiPortOption();

    @Mixin WorkDirOption workDir = new WorkDirOption(Path.of(".tally"));

    @Mixin LocalFlinkConfigOption flinkConfig = new LocalFlinkConfigOption();

    @Option(
        names = "--fresh",
        description =
            "Start without state even if a retained checkpoint exists under the work dir.")
    boolean fresh;

    Path workDir(String jobName) {
      return workDir.workDir.toAbsolutePath().resolve(jobName);
    }

    static int slots(RuntimeOptions runtime) {
      return runtime.parallelism.parallelism == null ? 2 : runtime.parallelism.parallelism;
    }

    /** What the local cluster will give the job: its configuration, checked before it starts. */
    Configuration clusterConfiguration(String jobName, RuntimeOptions runtime) {
      Configuration conf = FlinkMiniCluster.clusterConfiguration(slots(runtime), workDir(jobName));
      conf.addAll(flinkConfig.toConfiguration());
      return conf;
    }
  }

  @Command(
      name = "ledger",
      mixinStandardHelpOptions = true,
      description =
          "Runs the ledger job until Ctrl-C. Resumes from the newest retained checkpoint under the"
              + " work dir (default .tally), if any.")
  static final class Ledger implements Callable<Integer> {
    @Mixin LedgerJobOptions job;
    @Mixin LocalClusterOptions local;

    @Override
    public Integer call() throws Exception {
      LedgerJob.verify(
          withOutputTopics(job.kafka, job.outputTopics(), job),
          local.clusterConfiguration(job.identity.jobName, job.runtime));
      return runUntilCtrlC(
          local, job.identity.jobName, job.runtime, env -> LedgerJob.defineVerified(env, job));
    }
  }

  @Command(
      name = "revenue",
      mixinStandardHelpOptions = true,
      description =
          "Runs the revenue job until Ctrl-C. Resumes from the newest retained checkpoint under the"
              + " work dir (default .tally), if any.")
  static final class Revenue implements Callable<Integer> {
    @Mixin RevenueJobOptions job;
    @Mixin LocalClusterOptions local;

    @Override
    public Integer call() throws Exception {
      RevenueJob.verify(
          withOutputTopics(job.kafka, job.outputTopics(), job),
          local.clusterConfiguration(job.identity.jobName, job.runtime));
      return runUntilCtrlC(
          local, job.identity.jobName, job.runtime, env -> RevenueJob.defineVerified(env, job));
    }
  }

  /**
   * Creates the job's missing output topics (a convenience of `run`; the job itself never creates
   * topics).
   */
  private static <T> T withOutputTopics(KafkaOptions kafka, List<String> topics, T job) {
    // A wrong address, certificate or password: one line now, not a minute of retries below.
    StartupChecks.verifyReachable(kafka.connection());
    int created;
    try {
      created =
          TopicProvisioner.ensureTopics(
              kafka.connection(), topics, PartitionsOption.DEFAULT_PARTITIONS);
    } catch (IllegalStateException e) {
      if (!(e.getCause() instanceof AuthorizationException)) {
        throw e;
      }
      // A least-privilege principal may neither see nor create a topic it has no ACL for: the
      // start-up checks name the ACL it lacks.
      return job;
    }
    if (created > 0) {
      System.out.printf(
          "Created %d missing output topics on %s%n", created, kafka.bootstrapServers());
    }
    return job;
  }

  private static int runUntilCtrlC(
      LocalClusterOptions local,
      String jobName,
      RuntimeOptions runtime,
      Consumer<StreamExecutionEnvironment> definition)
      throws Exception {
    Path workDir = local.workDir(jobName);
    int slots = LocalClusterOptions.slots(runtime);
    try (ShutdownSignal ctrlC = ShutdownSignal.install();
        FlinkMiniCluster flink =
            FlinkMiniCluster.start(
                local.webUi.webUiPort, slots, workDir, local.flinkConfig.toConfiguration())) {
      // The cluster's configuration is the job's starting point; define() adds the options.
      var restore = new Configuration();
      RetainedCheckpoints.latest(workDir.resolve("checkpoints"))
          .filter(ignored -> !local.fresh)
          .ifPresent(
              checkpoint -> {
                System.out.println("Resuming from retained checkpoint " + checkpoint);
                RetainedCheckpoints.restoreFrom(restore, checkpoint);
              });
      var env = flink.environment(restore);
      definition.accept(env);
      JobClient client = flink.submit(env, jobName);
      System.out.printf(
          "%s (job %s) running; Web UI at %s. Ctrl-C stops it (checkpoints are kept).%n",
          jobName, client.getJobID(), flink.webUiUrl());
      Optional<String> failure = awaitCtrlCOrFailure(ctrlC, client);
      if (failure.isPresent()) {
        // A job that failed for good (e.g. state of another Kafka): one line, non-zero exit.
        throw new IllegalStateException(jobName + " failed: " + failure.get());
      }
      client.cancel().get();
      System.out.println(jobName + " cancelled; its last checkpoint is retained under " + workDir);
    }
    return 0;
  }

  /** Empty after Ctrl-C; the root cause's message when the job ended by itself first. */
  private static Optional<String> awaitCtrlCOrFailure(ShutdownSignal ctrlC, JobClient client)
      throws Exception {
    while (!ctrlC.await(Duration.ofSeconds(1))) {
      JobStatus status = client.getJobStatus().get();
      if (status.isGloballyTerminalState()) {
        try {
          client.getJobExecutionResult().get();
          return Optional.of("it ended (" + status + ")");
        } catch (ExecutionException e) {
          return Optional.of(rootMessage(e));
        }
      }
    }
    return Optional.empty();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.toString() : root.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
