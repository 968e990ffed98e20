package tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.jobs.ledger.LedgerJob;
import tally.testkit.generate.GeneratorSettings;

/**
 * A state-growth run with all its accounts in state. Before the measured backlog it writes one
 * opening deposit per account ({@link StatePreload}), runs the job until all are committed and
 * cancels it; the measured run then starts from the checkpoint that cancellation retained (claim
 * mode, so its checkpoints stay incremental), so RocksDB holds every account while the backlog is
 * measured as in the main run. Afterwards it takes a savepoint, cancels, and times two restores of
 * the final state: from the savepoint and from the retained checkpoint ({@link RestoreTiming}).
 */
final class StateRun extends LedgerRun {
  private static final Logger LOG = LoggerFactory.getLogger(StateRun.class);
  private static final Duration APPLY_LIMIT = Duration.ofMinutes(30);
  private static final Duration RESTORE_LIMIT = Duration.ofMinutes(10);
  private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);

  private String restorePath;
  private double depositsPerSecond;
  private double applySeconds;
  private RestoreTiming timing;

  StateRun(BenchEnvironment env, RunSpec spec) {
    super(env, spec);
  }

  /** What the run measured besides the catch-up; null until it has. */
  RestoreTiming timing() {
    return timing;
  }

  @Override
  void beforeBacklog() throws Exception {
    BenchSettings settings = env.settings;
    GeneratorSettings deposits =
        GeneratorSettings.defaults()
            .withTopic(inputTopic)
            .withAccounts(spec.accounts())
            .withSeed(settings.seed())
            .withPartitions(settings.partitions());
    LOG.info(
        "Bench {}: state preload, one opening deposit for each of {} accounts",
        name,
        Format.integer(spec.accounts()));
    depositsPerSecond = StatePreload.feed(env.bootstrapServers(), deposits);
    long submitted = System.nanoTime();
    super.start();
    try {
      awaitApplied(spec.accounts(), submitted);
    } catch (Exception | Error e) {
      cancelAndWait(job);
      job = null;
      throw e;
    }
    applySeconds = (System.nanoTime() - submitted) / 1e9;
    String jobId = job.getJobID().toHexString();
    cancelAndWait(job);
    job = null;
    restorePath = latestRetained(checkpoints.resolve(jobId)).toUri().toString();
    LOG.info(
        "Bench {}: state preload, {} accounts applied and committed in {} s; the measured run"
            + " starts from {}",
        name,
        Format.integer(spec.accounts()),
        Format.decimal(applySeconds, 1),
        restorePath);
  }

  @Override
  Configuration jobConfiguration() {
    Configuration conf = super.jobConfiguration();
    if (restorePath != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restorePath);
      // Claimed: the first checkpoint of the measured run stays incremental (no-claim would make
      // it a full one).
      conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
    }
    return conf;
  }

  @Override
  void afterMeasured() throws Exception {
    Path savepoints = env.workDir.resolve("savepoints").resolve(name);
    try {
      JobClient measured = job;
      String jobId = measured.getJobID().toHexString();
      long triggered = System.nanoTime();
      String savepoint =
          measured
              .triggerSavepoint(savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
              .get(RESTORE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      double savepointSeconds = (System.nanoTime() - triggered) / 1e9;
      long savepointBytes = sizeOf(savepoints);
      cancelAndWait(measured);
      job = null;
      String retained = latestRetained(checkpoints.resolve(jobId)).toUri().toString();
      LOG.info(
          "Bench {}: savepoint of {} in {} s; timing restores from it and from {}",
          name,
          Format.mib(savepointBytes),
          Format.decimal(savepointSeconds, 1),
          retained);
      RestoreTiming.Restore fromSavepoint = restore(savepoint, "savepoint");
      RestoreTiming.Restore fromCheckpoint = restore(retained, "retained checkpoint");
      timing =
          new RestoreTiming(
              spec.accounts(),
              depositsPerSecond,
              applySeconds,
              savepointSeconds,
              savepointBytes,
              fromSavepoint,
              fromCheckpoint);
    } finally {
      tally.support.FileTrees.deleteRecursively(savepoints);
    }
  }

  /** Starts the job from {@code path}; null if that failed (logged). */
  private RestoreTiming.Restore restore(String path, String what) {
    JobClient client = null;
    try {
      Configuration conf = new Configuration();
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path); // no-claim, as `tally` resumes
      StreamExecutionEnvironment flink = env.flink.environment(conf);
      LedgerJob.define(flink, options);
      long submitted = System.nanoTime();
      client = env.flink.submit(flink, name + "-restore");
      String id = client.getJobID().toHexString();
      long deadline = submitted + RESTORE_LIMIT.toNanos();
      double running = -1;
      while (System.nanoTime() < deadline) {
        if (client.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
          throw new IllegalStateException("the restored job ended");
        }
        try {
          if (running < 0 && env.rest.allTasksRunning(id)) {
            running = (System.nanoTime() - submitted) / 1e9;
          }
          if (running >= 0) {
            JsonNode stats = env.rest.get("/jobs/" + id + "/checkpoints");
            if (stats.path("counts").path("completed").asLong() > 0) {
              double checkpointed = (System.nanoTime() - submitted) / 1e9;
              JsonNode first = stats.path("latest").path("completed");
              long bytes = first.path("checkpointed_size").asLong();
              long full = first.path("state_size").asLong();
              LOG.info(
                  "Bench {}: restore from the {}: all tasks running after {} s, first checkpoint"
                      + " ({} uploaded, full state {}) after {} s",
                  name,
                  what,
                  Format.decimal(running, 2),
                  Format.mib(bytes),
                  Format.mib(full),
                  Format.decimal(checkpointed, 2));
              return new RestoreTiming.Restore(running, checkpointed, bytes, full);
            }
          }
        } catch (IOException e) {
          // The REST API does not know the job yet.
        }
        Thread.sleep(20);
      }
      throw new IllegalStateException("no checkpoint within " + RESTORE_LIMIT.toMinutes() + " min");
    } catch (Exception e) {
      LOG.error("Bench {}: restore from the {} failed: {}", name, what, e.toString());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return null;
    } finally {
      try {
        cancelAndWait(client);
      } catch (Exception e) {
        LOG.warn("Bench {}: could not cancel the restored job: {}", name, e.toString());
      }
    }
  }

  /** Waits until the job has taken in {@code accounts} records and committed them. */
  private void awaitApplied(long accounts, long submitted) throws Exception {
    long deadline = submitted + APPLY_LIMIT.toNanos();
    long lastLog = System.nanoTime();
    while (processed() < accounts || uncommitted() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "run "
                + name
                + " did not apply its "
                + accounts
                + " opening deposits within "
                + APPLY_LIMIT.toMinutes()
                + " min ("
                + processed()
                + " taken in)");
      }
      if (System.nanoTime() - lastLog > PROGRESS_NANOS) {
        lastLog = System.nanoTime();
        LOG.info(
            "Bench {}: state preload, {} of {} opening deposits applied ({} s)",
            name,
            Format.integer(processed()),
            Format.integer(accounts),
            (lastLog - submitted) / 1_000_000_000L);
      }
      Thread.sleep(100);
    }
  }

  private static void cancelAndWait(JobClient client) throws Exception {
    if (client == null) {
      return;
    }
    if (!client.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
      client.cancel().get(60, TimeUnit.SECONDS);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!client.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  /** The newest complete checkpoint ({@code chk-N/_metadata}) under a job's checkpoint dir. */
  static Path latestRetained(Path jobCheckpoints) throws IOException {
    if (!Files.isDirectory(jobCheckpoints)) {
      throw new IllegalStateException("no checkpoints under " + jobCheckpoints);
    }
    try (Stream<Path> dirs = Files.list(jobCheckpoints)) {
      return dirs.filter(dir -> dir.getFileName().toString().startsWith("chk-"))
          .filter(dir -> Files.exists(dir.resolve("_metadata")))
          .max(Comparator.comparingLong(StateRun::checkpointId))
          .orElseThrow(
              () -> new IllegalStateException("no retained checkpoint under " + jobCheckpoints));
    }
  }

  private static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
    }
  }

  private static long checkpointId(Path dir) {
    return Long.parseLong(dir.getFileName().toString().substring("chk-".length()));
  }
}
