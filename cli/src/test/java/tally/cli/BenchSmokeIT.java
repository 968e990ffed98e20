package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tally bench} end to end with a tiny backlog: broker, MiniCluster, an exactly-once run with
 * its latency phase, the plain copy, and the report with its plots. Checks that it works, never how
 * fast (the machine is shared).
 */
class BenchSmokeIT {

  @TempDir Path dir;

  @Test
  void aTinyBenchWritesTheReport() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TallyCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int exit =
        cli.execute(
            "bench",
            "--records",
            "3000",
            "--accounts",
            "300",
            "--runs",
            "eo,copy",
            "--no-before-tuning",
            "--no-cold", // separate processes and a cluster: not for a smoke test
            "--no-cluster",
            // One state-growth run (preloaded accounts, restore timing) and one sweep point.
            "--state-accounts",
            "500",
            "--latency-intervals",
            "500ms",
            "--latency-sweep-records",
            "1500",
            "--latency-duration",
            "3s",
            "--report-dir",
            dir.resolve("docs").toString(),
            "--work-dir",
            dir.resolve("work").toString());

    assertThat(exit).as(out + "\n" + err).isZero();
    String report = Files.readString(dir.resolve("docs/benchmarks.md"));
    assertThat(report)
        .contains("| exactly-once |", "| plain copy |", "exactly-once / plain transactional copy");
    assertThat(report).doesNotContain("Runs that failed");
    assertThat(report)
        .contains("## State growth (exactly-once)", "| 500 | ")
        .contains("## Latency against the checkpoint interval", "| 500 ms | ")
        // Every goal the run can judge, met or with what stands between it and the figure.
        .contains(
            "## Goals, and what stands between the job and them",
            "| visibility p99 ≤ interval + 300 ms at 500 ms |",
            "(largest run here: 500 accounts)");
    assertThat(dir.resolve("docs/img/throughput.png")).isNotEmptyFile();
    assertThat(dir.resolve("docs/img/latency.png")).isNotEmptyFile();
  }

  @Test
  void badArgumentsGiveOneLineAndExitTwo() {
    for (String args :
        new String[] {
          "bench --records 10",
          "bench --parallelism 8 --partitions 4",
          "bench --runs eo,fast",
          "bench --state-accounts 10,many",
          "bench --checkpoint-interval 0s"
        }) {
      StringWriter err = new StringWriter();
      CommandLine cli = TallyCli.commandLine();
      cli.setOut(new PrintWriter(new StringWriter(), true));
      cli.setErr(new PrintWriter(err, true));
      assertThat(cli.execute(args.split(" "))).as(args).isEqualTo(2);
      assertThat(err.toString().strip()).as(args).startsWith("tally bench: ").doesNotContain("\n");
    }
  }
}
