package tally.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The goals table from made-up figures: which goals are met, and the reasons given for misses. */
class GoalsSectionTest {

  @TempDir Path dir;

  private static final AuditedOutput CLEAN =
      new AuditedOutput(2_000_000, 3_950_000, 0, 0, 0, "AUDIT CLEAN");

  @Test
  void eachGoalIsJudgedAndEachMissExplainedInTheRunsOwnFigures() throws Exception {
    Path stacks = dir.resolve("cold.collapsed");
    Files.write(stacks, NativeProfileTest.lines());
    CpuBreakdown cpu =
        new CpuBreakdown(
            4.0,
            10_000_000_000L,
            40_000_000_000L,
            Map.of(
                NativeProfile.LEDGER_TASK,
                20_000_000_000L,
                "JIT compiler (C2)",
                8_000_000_000L,
                "RocksDB background (flush, compaction)",
                6_000_000_000L),
            null,
            null);
    // The native profile comes from one more, profiled, process: its shares, the unprofiled µs.
    UserRunResult profiled =
        cold(ColdVariant.PROFILED_EXACTLY_ONCE, 30.0, 80_000, 120_000_000_000L)
            .withCpuBreakdown(
                new CpuBreakdown(4.0, 1, 120_000_000_000L, Map.of(), null, null)
                    .withNativeProfile(NativeProfile.read(stacks)));
    // 2 M records: 100,000/s wall (met), 120,000/s steady (missed), 20 µs per record (missed).
    UserRunResult eo =
        cold(ColdVariant.EXACTLY_ONCE, 20.0, 120_000, 40_000_000_000L).withCpuBreakdown(cpu);
    UserRunResult alo = cold(ColdVariant.AT_LEAST_ONCE, 18.0, 130_000, 36_000_000_000L);
    BenchResults results =
        new BenchResults(
            ColdProcessRunTest.settings(),
            MachineInfo.current(),
            List.of(
                run("main", RunKind.PLAIN_COPY, 100_000, 400_000, CheckpointSummary.NONE),
                run("main", RunKind.EXACTLY_ONCE, 100_000, 60_000, checkpoints(300)),
                run("state", RunKind.EXACTLY_ONCE, 10_000_000, 45_000, checkpoints(2_500))),
            3.0,
            List.of(),
            0.1,
            0.2,
            List.of(eo, alo, profiled),
            List.of(),
            List.of(sweep(500, 900, 450), sweep(1_000, 1_250, 200)));

    List<GoalsSection.Row> rows = GoalsSection.rows(results);
    String md = GoalsSection.markdown(results);

    assertThat(rows)
        .extracting(GoalsSection.Row::met)
        .containsExactly(true, false, false, false, false, false, true, true, false);
    assertThat(md)
        .contains("| cold exactly-once `run ledger`, records/s wall ≥ 100,000 | 100,000 | yes |  |")
        .contains(
            "| cold exactly-once, records/s steady ≥ 150,000 | 120,000 | **no** | 150,000 records/s"
                + " leaves 13.3 µs per record on 2 cores; without the cold-only CPU (JIT, start-up,"
                + " runtime: 4.0 µs) the process still spends 16.0 µs per record |")
        .contains(
            "| cold exactly-once, CPU per record ≤ 12 µs | 20.0 µs | **no** | cold-only CPU (JIT,"
                + " start-up, runtime) 4.0 µs, the ledger task 10.0 µs (of which RocksDB's native"
                + " code 6.0 µs; the profile is below), RocksDB's flushes and compactions 3.0 µs:"
                + " the ledger task and RocksDB alone are 13.0 µs |")
        .contains("| exactly-once ≥ 95% of at-least-once (cold, wall) | 90% | **no** |")
        .contains("µs more CPU per record")
        .contains("| exactly-once steady ≥ 35% of the plain transactional copy's | 30% | **no** |")
        .contains(
            "| visibility p99 ≤ interval + 300 ms at 500 ms | interval + 400 ms | **no** | output"
                + " becomes visible when the checkpoint covering it completes: this run's"
                + " checkpoints took 100 ms (p50) / 450 ms (p99)")
        .contains("| visibility p99 ≤ interval + 300 ms at 1,000 ms | interval + 250 ms | yes |")
        .contains("| 10,000,000 accounts: ≥ 70% of the 100,000-account rate | 75% | yes |")
        .contains("| checkpoint p99 ≤ 2,000 ms | 2,500 ms | **no** |")
        .contains("### The ledger task, profiled")
        .contains("(60.0 µs of CPU per record against 20.0 unprofiled)")
        .contains("| dedup lookup (MapState.get) | 60 % | 6.0 |");
  }

  @Test
  void aSmallerLargestStateRunNeverMeetsTheTenMillionGoal() {
    BenchResults results =
        new BenchResults(
            ColdProcessRunTest.settings(),
            MachineInfo.current(),
            List.of(
                run("main", RunKind.EXACTLY_ONCE, 100_000, 60_000, checkpoints(300)),
                run("state", RunKind.EXACTLY_ONCE, 3_000_000, 59_000, checkpoints(300))),
            1.0,
            List.of(),
            0,
            0);

    assertThat(GoalsSection.rows(results))
        .extracting(GoalsSection.Row::goal, GoalsSection.Row::met)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "10,000,000 accounts: ≥ 70% of the 100,000-account rate (largest run here:"
                    + " 3,000,000 accounts)",
                false),
            org.assertj.core.groups.Tuple.tuple(
                "checkpoint p99 ≤ 2,000 ms (largest run here: 3,000,000 accounts)", false));
  }

  private static UserRunResult cold(
      ColdVariant variant, double wallSeconds, double steady, long cpuNanos) {
    return new UserRunResult(
            variant.contender(),
            2_000_000,
            wallSeconds,
            steady,
            cpuNanos,
            "the `bin/tally` JVM, start-up included",
            null,
            null,
            null)
        .withAudit(CLEAN);
  }

  private static CheckpointSummary checkpoints(long p99) {
    return new CheckpointSummary(
        10, 0, new Distribution(10, 100, p99, p99, p99, new long[0]), 1 << 20, 100 << 20);
  }

  private static RunResult run(
      String label, RunKind kind, int accounts, double rate, CheckpointSummary checkpoints) {
    return new RunResult(
        new RunSpec(label, kind, accounts, 2_000_000, 0, RunSpec.Topology.CURRENT, false),
        150_000,
        new ProgressSamples.Throughput(rate, rate, 1.5, 0.2, 10),
        30.0,
        checkpoints,
        0,
        Distribution.EMPTY,
        null);
  }

  private static IntervalSweep.Point sweep(long intervalMillis, long p99, long checkpointP99) {
    RunResult run =
        new RunResult(
            new RunSpec(
                "sweep",
                RunKind.EXACTLY_ONCE,
                100_000,
                1_000_000,
                30_000,
                RunSpec.Topology.CURRENT,
                false),
            150_000,
            new ProgressSamples.Throughput(80_000, 40_000, 1.5, 0.2, 10),
            20.0,
            checkpoints(checkpointP99),
            30_000,
            new Distribution(1_000, p99 / 2, p99, p99, p99 + 50, new long[0]),
            null);
    return new IntervalSweep.Point(Duration.ofMillis(intervalMillis), run);
  }
}
