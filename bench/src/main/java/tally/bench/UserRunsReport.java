package tally.bench;

import java.util.List;

/** The report's first figures, what users run: a table of {@link UserRunResult}s and the copy. */
final class UserRunsReport {
  static final String HEADING = "## What users run";

  private UserRunsReport() {}

  static String markdown(BenchResults results) {
    List<UserRunResult> runs = results.userRuns();
    var copy = results.main(RunKind.PLAIN_COPY);
    if (runs.isEmpty() && copy.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder();
    md.append(HEADING).append("\n\n");
    md.append(
        "The same backlog of "
            + Format.integer(results.settings().records())
            + " transactions, processed by what a user starts: `bin/tally run ledger` as a new"
            + " process (cold JVM, MiniCluster start-up and deployment included), and the job"
            + " submitted with `flink run` to the process cluster. Every run's output is audited"
            + " (`tally audit`'s rules); a run that lost, duplicated or changed a record counts"
            + " as failed.\n\n");
    md.append(
        "| contender | records/s (wall, from process start) | steady records/s (10→90 %) | CPU µs"
            + " per record (which processes) | audit |\n");
    md.append("|---|---:|---:|---|---|\n");
    for (UserRunResult run : runs) {
      md.append("| ").append(run.contender()).append(" | ");
      if (run.audit() == null) {
        md.append("- | - | - | **failed**: ").append(cell(run.failure())).append(" |\n");
        continue;
      }
      md.append(rate(run.wallRecordsPerSecond()))
          .append(" (")
          .append(Format.decimal(run.wallSeconds(), 1))
          .append(" s) | ")
          .append(rate(run.steadyRecordsPerSecond()))
          .append(" | ")
          .append(
              Double.isNaN(run.cpuMicrosPerRecord())
                  ? "-"
                  : Format.decimal(run.cpuMicrosPerRecord(), 1) + " (" + run.cpuProcesses() + ")")
          .append(" | ")
          .append(run.audit().summary())
          .append(" |\n");
    }
    copy.ifPresent(
        run -> {
          var t = run.throughput();
          md.append("| plain transactional copy (in the bench's JVM, warm; no Flink) | ")
              .append(rate(run.spec().records() / run.catchUpSeconds()))
              .append(" (")
              .append(Format.decimal(run.catchUpSeconds(), 1))
              .append(" s, from the copy's start) | ")
              .append(rate(t.recordsPerSecond()))
              .append(" | ")
              .append(Format.decimal(1e6 / t.recordsPerCpuSecond(), 1))
              .append(" (the bench's JVM, steady window) | not audited (a byte copy, not the")
              .append(" ledger) |\n");
        });
    if (!results.settings().kinds().contains(RunKind.PLAIN_COPY)) {
      md.append("\n(The plain copy was not run: `--runs` without `copy`.)\n");
    }
    md.append('\n');
    beforeAfter(md, runs);
    cpuBreakdowns(md, runs);
    return md.toString();
  }

  /**
   * Each before-row against the shipped exactly-once row: what the shipped setting buys on the user
   * path.
   */
  private static void beforeAfter(StringBuilder md, List<UserRunResult> runs) {
    UserRunResult shipped = rowOf(runs, ColdVariant.EXACTLY_ONCE);
    if (shipped == null) {
      return;
    }
    for (ColdVariant variant : ColdVariant.ALL) {
      if (variant.before() == null) {
        continue;
      }
      UserRunResult before = rowOf(runs, variant);
      if (before != null) {
        md.append("- Shipped instead of *")
            .append(variant.before())
            .append("* (`")
            .append(String.join(" ", variant.arguments()))
            .append("` undoes it): ")
            .append(
                Format.decimal(shipped.wallRecordsPerSecond() / before.wallRecordsPerSecond(), 2))
            .append("× the wall records/s, ")
            .append(Format.decimal(before.cpuMicrosPerRecord() / shipped.cpuMicrosPerRecord(), 2))
            .append("× less CPU per record.\n");
      }
    }
    md.append('\n');
  }

  /** The audited row of {@code variant}, or null when it failed or did not run. */
  static UserRunResult rowOf(List<UserRunResult> runs, ColdVariant variant) {
    return runs.stream()
        .filter(run -> run.contender().equals(variant.contender()) && run.audit() != null)
        .findFirst()
        .orElse(null);
  }

  /** Per cold process: CPU before the first commit, and the run's CPU by kind of thread. */
  private static void cpuBreakdowns(StringBuilder md, List<UserRunResult> runs) {
    List<UserRunResult> broken =
        java.util.stream.Stream.of(
                ColdVariant.EXACTLY_ONCE,
                ColdVariant.AT_LEAST_ONCE,
                ColdVariant.PROFILED_EXACTLY_ONCE)
            .map(variant -> rowOf(runs, variant))
            .filter(run -> run != null && run.cpuBreakdown() != null)
            .toList();
    if (broken.isEmpty()) {
      return;
    }
    md.append("### Where a cold process's CPU goes\n\n");
    md.append(
        "From `/proc/<pid>/task/*/stat` at the moment the whole input was committed, grouped by"
            + " thread name; *before the first commit* is everything up to the first checkpoint"
            + " that committed offsets (JVM and MiniCluster start-up, deployment, RocksDB"
            + " opening, and the first checkpoint interval of processing).\n\n");
    for (UserRunResult run : broken) {
      CpuBreakdown cpu = run.cpuBreakdown();
      md.append("**")
          .append(run.contender())
          .append("**: ")
          .append(Format.decimal(cpu.cpuNanosToFirstCommit() / 1e9, 1))
          .append(" CPU s before the first commit, ")
          .append(Format.decimal(cpu.secondsToFirstCommit(), 1))
          .append(" s after the process started.\n\n")
          .append(cpu.markdown(run.records()))
          .append('\n');
      if (cpu.profile() != null) {
        md.append("JFR profile of the whole process (`--profile`):\n\n```\n")
            .append(cpu.profile())
            .append("```\n\n");
      }
    }
  }

  /** The bullet of *How it is measured* for these rows. */
  static String method() {
    return """
    - **What users run**: each contender gets the same preloaded backlog in fresh topics. \
    *Cold*: `bin/tally run ledger --fresh --web-ui-port 0 --delivery ...` (the repository's script, \
    which execs java: a new JVM) with the bench's broker, parallelism and checkpoint interval; the \
    clock starts when the process is started. *Cluster*: `cluster up --network loopback` in a temp \
    dir (ZooKeeper, 3 brokers with replication factor 3, a JobManager, 2 TaskManagers), the backlog \
    in its own Kafka, then `flink run -d` of the job jar; the clock starts at the submission. \
    *Wall* ends when the run's consumer group has committed the whole input (the committed offsets \
    advance at each checkpoint, so this includes the last one); *steady* is the committed offsets' \
    progress between 10 % and 90 % of the backlog, sampled every 100 ms ("-" when one checkpoint \
    covered the whole window). CPU comes from `/proc/<pid>/stat` (utime + stime): for the cold \
    process all of it, start-up and JIT included, up to the moment the input was committed; for \
    the cluster the JobManager's and both TaskManagers' CPU from submission to the same moment \
    plus the `flink run` client's. Then the job is stopped (SIGTERM, the CLI's Ctrl-C, or a \
    cancel on the cluster), the output is audited with the testkit's `LedgerAudit`, and the \
    cluster is torn down.
    """;
  }

  private static String rate(double value) {
    return Double.isNaN(value) || Double.isInfinite(value) ? "-" : Format.integer(value);
  }

  private static String cell(String text) {
    return text == null ? "" : text.replace('|', '/').replace('\n', ' ');
  }
}
