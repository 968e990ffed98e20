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
            false,
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
