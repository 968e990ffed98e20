package tally.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code tally bench} runs.
 *
 * @param records backlog per run
 * @param accounts accounts of the main runs
 * @param stateAccounts accounts of the extra exactly-once runs that show state growth
 * @param latencyDuration how long the steady-rate latency phase of each main run lasts
 * @param beforeTuning also run them with the settings from before the profile-driven changes
 * @param profile which runs are profiled
 * @param reportDir where benchmarks.md and img/ go
 * @param workDir broker data, checkpoints, JFR recordings (null: a temp dir, deleted at the end)
 * @param kinds which of the main runs to do (all by default)
 * @param statePreload the state-growth runs first apply one opening deposit per account, so that
 *     state holds all of them, and measure restore times at the end ({@link StateRun})
 * @param latencyIntervals checkpoint intervals of the latency sweep ({@link IntervalSweep}); empty
 *     = no sweep
 * @param sweepRecords backlog of each sweep run
 */
record BenchSettings(
    long records,
    int accounts,
    int partitions,
    int parallelism,
    Duration checkpointInterval,
    List<Integer> stateAccounts,
    Duration latencyDuration,
    double duplicateRatio,
    double invalidRatio,
    long seed,
    boolean beforeTuning,
    Profiling profile,
    Path reportDir,
    Path workDir,
    java.util.Set<RunKind> kinds,
    boolean statePreload,
    List<Duration> latencyIntervals,
    long sweepRecords) {

  /** Without the preload and the latency sweep. */
  BenchSettings(
      long records,
      int accounts,
      int partitions,
      int parallelism,
      Duration checkpointInterval,
      List<Integer> stateAccounts,
      Duration latencyDuration,
      double duplicateRatio,
      double invalidRatio,
      long seed,
      boolean beforeTuning,
      Profiling profile,
      Path reportDir,
      Path workDir,
      java.util.Set<RunKind> kinds) {
    this(
        records,
        accounts,
        partitions,
        parallelism,
        checkpointInterval,
        stateAccounts,
        latencyDuration,
        duplicateRatio,
        invalidRatio,
        seed,
        beforeTuning,
        profile,
        reportDir,
        workDir,
        kinds,
        false,
        List.of(),
        0);
  }
}
