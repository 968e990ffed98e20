package tally.tooling.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerJobOptions;
import tally.tooling.local.LocalFlinkCluster;

/** {@code tally run ledger}: a job against an existing Kafka, on a local MiniCluster with the Web UI. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Runs a Tally job against an existing Kafka on a local Flink MiniCluster (with its Web UI).",
    subcommands = RunCommand.Ledger.class)
public final class RunCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a job: ledger");
  }

  /** Where the local cluster keeps state, and its UI. */
  static final class LocalClusterOptions {
    @Option(names = "--web-ui-port", defaultValue = "8081",
        description = "Port of the Flink Web UI and REST API (default: ${DEFAULT-VALUE}).")
    int webUiPort;

    @Option(names = "--work-dir", defaultValue = ".tally",
        description = "Checkpoints and savepoints go under this directory (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--fresh",
        description = "Start without state even if a retained checkpoint exists under the work dir.")
    boolean fresh;
  }

  @Command(name = "ledger", mixinStandardHelpOptions = true,
      description = "Runs the ledger job until Ctrl-C. Resumes from the newest retained checkpoint under the work dir, if any.")
  static final class Ledger implements Callable<Integer> {
    @Mixin LedgerJobOptions job;
    @Mixin LocalClusterOptions local;

    @Override
    public Integer call() throws Exception {
      Path workDir = local.workDir.toAbsolutePath().resolve(LedgerJob.NAME);
      int created = TopicsCommand.ensure(job.bootstrapServers, job.outputTopics(), 4);
      if (created > 0) {
        System.out.printf("Created %d missing output topics on %s%n", created, job.bootstrapServers);
      }
      LedgerJob.verify(job); // refuse before starting anything
      int slots = job.runtime.parallelism == null ? 2 : job.runtime.parallelism;
      try (ShutdownSignal ctrlC = ShutdownSignal.install();
          LocalFlinkCluster flink = LocalFlinkCluster.start(local.webUiPort, slots, workDir)) {
        var conf = job.runtime.toConfiguration();
        RetainedCheckpoints.latest(workDir.resolve("checkpoints"))
            .filter(ignored -> !local.fresh)
            .ifPresent(checkpoint -> {
              System.out.println("Resuming from retained checkpoint " + checkpoint);
              RetainedCheckpoints.restoreFrom(conf, checkpoint);
            });
        var env = flink.environment(conf);
        LedgerJob.define(env, job);
        JobClient client = flink.submit(env, LedgerJob.NAME);
        System.out.printf("Ledger job %s running; Web UI at %s. Ctrl-C stops it (checkpoints are kept).%n",
            client.getJobID(), flink.webUiUrl());
        ctrlC.await();
        client.cancel().get();
        System.out.println("Ledger job cancelled; its last checkpoint is retained under " + workDir);
      }
      return 0;
    }
  }

}
