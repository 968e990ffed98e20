package tally.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's first table, from made-up figures. */
class UserRunsReportTest {

  @TempDir Path dir;

  private static final AuditedOutput CLEAN =
      new AuditedOutput(200_000, 395_000, 0, 0, 0, "AUDIT CLEAN");

  @Test
  void leadsWithWhatUsersRunAndLabelsTheHarnessFigures() throws Exception {
    UserRunResult coldEo =
        new UserRunResult(
                ColdVariant.EXACTLY_ONCE.contender(),
                200_000,
                20.0,
                25_000,
                30_000_000_000L,
                "the `bin/tally` JVM, start-up included",
                null,
                null,
                null)
            .withAudit(CLEAN)
            .withCpuBreakdown(
                new CpuBreakdown(
                    6.5,
                    9_000_000_000L,
                    30_000_000_000L,
                    java.util.Map.of("JIT compiler (C2)", 6_000_000_000L),
                    "1,000 Java samples\n",
                    null));
    UserRunResult coldAlo =
        new UserRunResult(
                ColdVariant.AT_LEAST_ONCE.contender(),
                200_000,
                16.0,
                Double.NaN,
                20_000_000_000L,
                "the `bin/tally` JVM, start-up included",
                null,
                null,
                null)
            .withAudit(
                new AuditedOutput(200_000, 395_000, 3, 1, 0, "AUDIT FAILED: balances 3 lost"));
    UserRunResult before =
        new UserRunResult(
                ColdVariant.BEFORE_MANAGED_MEMORY.contender(),
                200_000,
                40.0,
                10_000,
                60_000_000_000L,
                "the `bin/tally` JVM, start-up included",
                null,
                null,
                null)
            .withAudit(CLEAN)
            .withCpuBreakdown(
                new CpuBreakdown(
                    1, 1, 60_000_000_000L, java.util.Map.of("unlisted", 1L), null, null));
    UserRunResult cluster = UserRunResult.failed(ClusterRun.CONTENDER, 200_000, "no | TaskManager");
    BenchResults results =
        new BenchResults(
            ColdProcessRunTest.settings(),
            MachineInfo.current(),
            List.of(copy()),
            3.0,
            List.of(),
            0.1,
            0.2,
            List.of(coldEo, coldAlo, before, cluster),
            List.of(),
            List.of());

    String md = Files.readString(new BenchReport(results, "bin/tally bench").write(dir));

    assertThat(md.indexOf("## What users run"))
        .isPositive()
        .isLessThan(md.indexOf("## Figures: steady state, warm in-JVM harness"));
    assertThat(md)
        .contains(
            "| `bin/tally run ledger`, cold, exactly-once | 10,000 (20.0 s) | 25,000 | 150.0 (the"
                + " `bin/tally` JVM, start-up included) | clean (395,000 outputs) |")
        .contains(
            "| `bin/tally run ledger`, cold, at-least-once | 12,500 (16.0 s) | - | 100.0 (the"
                + " `bin/tally` JVM, start-up included) | **FAILED**: 3 lost, 1 duplicated, 0"
                + " mismatched |")
        .contains("| " + ClusterRun.CONTENDER + " | - | - | - | **failed**: no / TaskManager |")
        .contains(
            "| plain transactional copy (in the bench's JVM, warm; no Flink) | 40,000 (5.0 s,"
                + " from the copy's start) | 50,000 | 25.0 (the bench's JVM, steady window) |")
        .contains("- **What users run**:")
        .contains("### Where a cold process's CPU goes")
        .contains("9.0 CPU s before the first commit, 6.5 s after the process started.")
        .contains("| JIT compiler (C2) | 6.0 | 20 % | 30.0 |")
        .contains("| **the whole process** | **30.0** | 100 % | **150.0** |")
        .contains("```\n1,000 Java samples\n```")
        .contains(
            "- Shipped instead of *Flink's 128 MiB local managed memory*"
                + " (`-Dtaskmanager.memory.managed.size=128m` undoes it): 2.00× the wall"
                + " records/s, 2.00× less CPU per record.")
        .doesNotContain("| unlisted |")
        .contains(
            "| cold exactly-once, CPU per record ≤ 12 µs | 150.0 µs | **no** | cold-only CPU (JIT,"
                + " start-up, runtime) 30.0 µs, the ledger task 0.0 µs");
    assertThat(md.indexOf(GoalsSection.HEADING)).isGreaterThan(md.indexOf("## What users run"));
    assertThat(coldEo.passed()).isTrue();
    assertThat(coldAlo.passed()).isFalse();
    assertThat(coldAlo.failure()).startsWith("audit failed");
  }

  @Test
  void noSectionWithoutUserRunsOrCopy() {
    BenchResults results =
        new BenchResults(
            ColdProcessRunTest.settings(), MachineInfo.current(), List.of(), 1.0, List.of(), 0, 0);
    assertThat(UserRunsReport.markdown(results)).isEmpty();
  }

  private static RunResult copy() {
    RunSpec spec =
        new RunSpec(
            "main", RunKind.PLAIN_COPY, 100_000, 200_000, 0, RunSpec.Topology.CURRENT, false);
    return new RunResult(
        spec,
        150_000,
        new ProgressSamples.Throughput(50_000, 40_000, 1.2, 0.3, 3),
        5.0,
        CheckpointSummary.NONE,
        0,
        Distribution.EMPTY,
        null);
  }
}
