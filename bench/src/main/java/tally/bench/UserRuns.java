package tally.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs of the report's first table, what users run: cold {@code bin/tally run ledger} processes
 * (exactly-once and at-least-once) on the bench's broker, and the job on the process cluster. A
 * failed one is recorded as failed and does not cost the others.
 *
 * @param cold run the cold {@code bin/tally run ledger} processes
 * @param cluster run the job on the process cluster
 */
record UserRuns(boolean cold, boolean cluster) {
  private static final Logger LOG = LoggerFactory.getLogger(UserRuns.class);

  static final UserRuns NONE = new UserRuns(false, false);

  /** The cold processes, on the bench's broker (while it is up). */
  List<UserRunResult> runCold(BenchEnvironment env) {
    List<UserRunResult> results = new ArrayList<>();
    if (!cold) {
      return results;
    }
    for (ColdVariant variant : ColdVariant.toRun(env.settings.profile())) {
      String contender = variant.contender();
      LOG.info("Bench: {}, {} records", contender, Format.integer(env.settings.records()));
      results.add(
          guarded(contender, env.settings, () -> new ColdProcessRun(env, variant).execute()));
    }
    return results;
  }

  /** The cluster run, after the bench's broker and MiniCluster are down (the cores are free). */
  List<UserRunResult> runCluster(BenchSettings settings, Path workDir) {
    if (!cluster) {
      return List.of();
    }
    LOG.info("Bench: {}, {} records", ClusterRun.CONTENDER, Format.integer(settings.records()));
    return List.of(
        guarded(
            ClusterRun.CONTENDER,
            settings,
            () -> new ClusterRun(settings, workDir.resolve("cluster")).execute()));
  }

  private interface Run {
    UserRunResult execute() throws Exception;
  }

  private static UserRunResult guarded(String contender, BenchSettings settings, Run run) {
    try {
      UserRunResult result = run.execute();
      if (!result.passed()) {
        LOG.error("Bench: {} failed: {}", contender, result.failure());
      }
      return result;
    } catch (Exception e) {
      LOG.error("Bench: {} failed: {}", contender, e.toString(), e);
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      return UserRunResult.failed(
          contender, settings.records(), message.lines().findFirst().orElse(message));
    }
  }
}
