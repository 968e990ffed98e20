package tally.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report from made-up figures: tables, ratios and the PNG plots (XChart, headless). */
class BenchReportTest {

  @TempDir Path dir;

  /** Where the test's report stays for a look at the plots (target/bench-report-test). */
  private static final Path KEEP = Path.of("target", "bench-report-test");

  @Test
  void writesFiguresRatiosAndPlots() throws Exception {
    BenchSettings settings =
        new BenchSettings(
            2_000_000,
            100_000,
            4,
            2,
            Duration.ofSeconds(1),
            List.of(10_000, 1_000_000),
            Duration.ofSeconds(20),
            0.01,
            0.001,
            42,
            true,
            Profiling.NONE,
            dir,
            null,
            EnumSet.allOf(RunKind.class));
    List<RunResult> runs = new ArrayList<>();
    runs.add(run("main", RunKind.EXACTLY_ONCE, RunSpec.Topology.CURRENT, 100_000, 40_000, 600));
    runs.add(
        run("before", RunKind.EXACTLY_ONCE, RunSpec.Topology.BEFORE_TUNING, 100_000, 30_000, 0));
    runs.add(run("main", RunKind.AT_LEAST_ONCE, RunSpec.Topology.CURRENT, 100_000, 41_000, 200));
    runs.add(run("main", RunKind.NONE, RunSpec.Topology.CURRENT, 100_000, 42_000, 150));
    runs.add(run("main", RunKind.PLAIN_COPY, RunSpec.Topology.CURRENT, 100_000, 80_000, 500));
    runs.add(run("state", RunKind.EXACTLY_ONCE, RunSpec.Topology.CURRENT, 10_000, 45_000, 0));
    runs.add(run("state", RunKind.EXACTLY_ONCE, RunSpec.Topology.CURRENT, 1_000_000, 35_000, 0));
    BenchResults results =
        new BenchResults(
            settings,
            MachineInfo.current(),
            runs,
            12.5,
            List.of("none at 10,000,000 accounts: broker stalled"),
            0.4,
            1.7);

    Path report = new BenchReport(results, "bin/tally bench").write(dir);

    String md = Files.readString(report);
    assertThat(md)
        .contains("| exactly-once / at-least-once | 98% |")
        .contains("| exactly-once / plain transactional copy | 50% |")
        .contains("before: settings of the committed job")
        .contains("## State growth")
        .contains("| 1,000,000 |")
        .contains("Runs that failed")
        .contains("![Throughput per mode](img/throughput.png)")
        .contains("![Latency distribution per mode](img/latency.png)")
        .contains("(img/state-growth.png)");
    for (String image : List.of("img/throughput.png", "img/latency.png", "img/state-growth.png")) {
      byte[] png = Files.readAllBytes(dir.resolve(image));
      assertThat(png).hasSizeGreaterThan(1_000);
      assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("PNG");
      Files.createDirectories(KEEP.resolve("img"));
      Files.copy(
          dir.resolve(image),
          KEEP.resolve(image),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void writesStateGrowthWithRestoresAndTheLatencySweep() throws Exception {
    BenchSettings settings =
        new BenchSettings(
            2_000_000,
            100_000,
            4,
            2,
            Duration.ofSeconds(1),
            List.of(10_000, 10_000_000),
            Duration.ofSeconds(15),
            0.01,
            0.001,
            42,
            false,
            Profiling.NONE,
            dir,
            null,
            EnumSet.of(RunKind.EXACTLY_ONCE),
            true,
            List.of(
                Duration.ofMillis(200),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5)),
            1_000_000);
    List<RunResult> runs = new ArrayList<>();
    runs.add(run("main", RunKind.EXACTLY_ONCE, RunSpec.Topology.CURRENT, 100_000, 100_000, 50_000));
    runs.add(run("state", RunKind.EXACTLY_ONCE, RunSpec.Topology.CURRENT, 10_000, 110_000, 0));
    runs.add(run("state", RunKind.EXACTLY_ONCE, RunSpec.Topology.CURRENT, 10_000_000, 90_000, 0));
    List<RestoreTiming> restores =
        List.of(
            new RestoreTiming(
                10_000,
                400_000,
                6.5,
                0.8,
                30L << 20,
                new RestoreTiming.Restore(2.9, 4.1, 41L << 20, 41L << 20),
                new RestoreTiming.Restore(2.5, 3.7, 1L << 20, 40L << 20)),
            new RestoreTiming(
                10_000_000,
                350_000,
                120.4,
                21.0,
                900L << 20,
                new RestoreTiming.Restore(35.2, 41.9, 1000L << 20, 1000L << 20),
                null));
    List<IntervalSweep.Point> sweep = new ArrayList<>();
    for (long interval : new long[] {200, 500, 1000, 5000}) {
      sweep.add(
          new IntervalSweep.Point(
              Duration.ofMillis(interval), sweepRun(interval, 80_000 + interval * 4, 50_000)));
    }
    BenchResults results =
        new BenchResults(
            settings,
            MachineInfo.current(),
            runs,
            20,
            List.of(),
            0.4,
            1.2,
            List.of(),
            restores,
            sweep);

    String md = Files.readString(new BenchReport(results, "bin/tally bench").write(dir));

    assertThat(md)
        .contains("## State growth (exactly-once)")
        .contains("one opening deposit per account")
        .contains(
            "| accounts | full state | records/s | checkpoint p50 / p99 | incremental checkpoint"
                + " p50 | restore from savepoint | restore from retained checkpoint |")
        .contains("| 10,000,000 | ")
        .contains("| 41.9 s (running 35.2 s) | failed |")
        .contains("| 4.1 s (running 2.9 s) | 3.7 s (running 2.5 s) |")
        .contains(
            "| 10,000,000 | 350,000 records/s | 120.4 s | 900.0 MiB in 21.0 s | 1000.0 MiB /"
                + " 1000.0 MiB | - |")
        .contains("| 41.0 MiB / 41.0 MiB | 1.0 MiB / 40.0 MiB |")
        .contains("## Latency against the checkpoint interval")
        .contains("| checkpoint interval | records/s | latency p50 / p99 / max | p99 − interval |")
        .contains("| 200 ms | 80,800 | 400 ms / 694 ms / 700 ms | 494 ms |")
        .contains("| 5,000 ms | 100,000 | 2,800 ms / 5,446 ms / 5,500 ms | 446 ms |")
        .contains("smaller than the main runs' 2,000,000")
        .contains("![Checkpoint duration and restore time vs state size](img/state-restore.png)")
        .contains("![Latency and throughput vs checkpoint interval](img/latency-interval.png)")
        .contains(
            "| latency sweep | exactly-once with checkpoints every 200 ms, 500 ms, 1,000 ms,");
    for (String image : List.of("img/state-restore.png", "img/latency-interval.png")) {
      byte[] png = Files.readAllBytes(dir.resolve(image));
      assertThat(png).hasSizeGreaterThan(1_000);
      Files.createDirectories(KEEP.resolve("img"));
      Files.copy(
          dir.resolve(image),
          KEEP.resolve(image),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void leavesTheNewSectionsOutWhenSkipped() throws Exception {
    BenchSettings settings =
        new BenchSettings(
            2_000_000,
            100_000,
            4,
            2,
            Duration.ofSeconds(1),
            List.of(),
            Duration.ofSeconds(15),
            0.01,
            0.001,
            42,
            false,
            Profiling.NONE,
            dir,
            null,
            EnumSet.of(RunKind.EXACTLY_ONCE));
    List<RunResult> runs =
        List.of(
            run("main", RunKind.EXACTLY_ONCE, RunSpec.Topology.CURRENT, 100_000, 100_000, 50_000));
    BenchResults results =
        new BenchResults(settings, MachineInfo.current(), runs, 3, List.of(), 0.4, 1.2);

    String md = Files.readString(new BenchReport(results, "bin/tally bench").write(dir));

    assertThat(md)
        .doesNotContain("## State growth")
        .doesNotContain("## Latency against the checkpoint interval")
        .contains("| latency sweep | not run (`--latency-intervals none`) |");
    assertThat(dir.resolve("img/latency-interval.png")).doesNotExist();
  }

  /** Latencies spread evenly from 100 ms to interval + 500 ms. */
  private static RunResult sweepRun(long interval, double perSecond, double rate) {
    RunSpec spec =
        new RunSpec(
            IntervalSweep.LABEL,
            RunKind.EXACTLY_ONCE,
            100_000,
            1_000_000,
            rate,
            RunSpec.Topology.CURRENT,
            false);
    long[] latencies = new long[1000];
    for (int i = 0; i < latencies.length; i++) {
      latencies[i] = 100 + (interval + 400) * (i + 1) / latencies.length;
    }
    return new RunResult(
        spec,
        300_000,
        new ProgressSamples.Throughput(perSecond, perSecond * 0.6, 1.6, 0.3, 8),
        1_000_000 / perSecond + 3,
        new CheckpointSummary(10, 0, Distribution.of(40, 50, 60), 2 << 20, 50 << 20),
        rate,
        Distribution.of(latencies),
        null);
  }

  private static RunResult run(
      String label,
      RunKind kind,
      RunSpec.Topology topology,
      int accounts,
      double perSecond,
      double latencyRate) {
    RunSpec spec = new RunSpec(label, kind, accounts, 2_000_000, latencyRate, topology, false);
    long[] latencies = new long[1000];
    for (int i = 0; i < latencies.length; i++) {
      latencies[i] = kind == RunKind.EXACTLY_ONCE ? 600 + i : 5 + i / 10;
    }
    CheckpointSummary checkpoints =
        kind.isJob()
            ? new CheckpointSummary(
                60, 0, Distribution.of(40, 50, 60, 400), 2 << 20, (accounts / 1000 + 50) << 20)
            : CheckpointSummary.NONE;
    return new RunResult(
        spec,
        150_000,
        new ProgressSamples.Throughput(perSecond, perSecond * 0.6, 1.6, 0.3, 40),
        2_000_000 / perSecond + 5,
        checkpoints,
        latencyRate,
        latencyRate > 0 ? Distribution.of(latencies) : Distribution.EMPTY,
        null);
  }
}
