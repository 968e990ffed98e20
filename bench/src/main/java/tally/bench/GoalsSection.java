package tally.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The report's goals: each figure the project aims at, what this run measured, and when it falls
 * short, what stands between the job and it, in this run's own figures (the cold process's CPU by
 * thread and, with {@code --profile}, the ledger task's native profile). Written from the results
 * so that it stays true when the figures change.
 */
final class GoalsSection {
  static final String HEADING = "## Goals, and what stands between the job and them";

  /** The user path's goals (cold exactly-once {@code run ledger}, 2 M backlog, 2 cores). */
  static final double WALL_GOAL = 100_000;

  static final double STEADY_GOAL = 150_000;
  static final double MICROS_GOAL = 12;
  static final double EO_OVER_ALO_GOAL = 0.95;
  static final double EO_OVER_COPY_GOAL = 0.35;
  static final long VISIBILITY_MARGIN_MILLIS = 300;
  static final long STATE_GOAL_ACCOUNTS = 10_000_000;
  static final double STATE_RATE_GOAL = 0.70;
  static final long STATE_CHECKPOINT_P99_GOAL_MILLIS = 2_000;

  /** Thread groups whose CPU only a cold process pays: compiling, starting, the runtime. */
  private static final List<String> COLD_ONLY =
      List.of(ThreadCpu.JIT_C2, ThreadCpu.JIT_C1, ThreadCpu.START_UP, ThreadCpu.FLINK_RUNTIME);

  private static final String ROCKSDB_BACKGROUND = ThreadCpu.ROCKSDB_BACKGROUND;

  /** The goals are set for this many cores: a rate leaves cores × 1 s / rate of CPU per record. */
  private static final int GOAL_CORES = 2;

  private GoalsSection() {}

  record Row(String goal, String measured, boolean met, String between) {}

  static String markdown(BenchResults results) {
    List<Row> rows = rows(results);
    if (rows.isEmpty()) {
      return "";
    }
    StringBuilder md = new StringBuilder(HEADING).append("\n\n");
    md.append(
        "The project's goals for this 2-core machine with the broker on the same box. A goal"
            + " this run missed says, in this run's figures, where the time or the CPU goes"
            + " instead.\n\n");
    md.append("| goal | measured | met | what stands between |\n|---|---:|:---:|---|\n");
    for (Row row : rows) {
      md.append("| ")
          .append(row.goal())
          .append(" | ")
          .append(row.measured())
          .append(" | ")
          .append(row.met() ? "yes" : "**no**")
          .append(" | ")
          .append(row.met() ? "" : row.between())
          .append(" |\n");
    }
    md.append('\n');
    ledgerProfile(md, results);
    return md.toString();
  }

  static List<Row> rows(BenchResults results) {
    List<Row> rows = new ArrayList<>();
    List<UserRunResult> runs = results.userRuns();
    UserRunResult eo = UserRunsReport.rowOf(runs, ColdVariant.EXACTLY_ONCE);
    UserRunResult alo = UserRunsReport.rowOf(runs, ColdVariant.AT_LEAST_ONCE);
    Optional<RunResult> copy = results.main(RunKind.PLAIN_COPY);
    UserRunResult profiled = UserRunsReport.rowOf(runs, ColdVariant.PROFILED_EXACTLY_ONCE);
    if (eo != null) {
      userPath(rows, eo, alo, profiled, copy);
    }
    visibility(rows, results);
    state(rows, results);
    return rows;
  }

  private static void userPath(
      List<Row> rows,
      UserRunResult eo,
      UserRunResult alo,
      UserRunResult profiled,
      Optional<RunResult> copy) {
    double micros = eo.cpuMicrosPerRecord();
    CpuBreakdown cpu = eo.cpuBreakdown();
    double ceiling = GOAL_CORES * 1e6 / micros;
    String coresCeiling =
        "at "
            + Format.decimal(micros, 1)
            + " µs of CPU per record the process alone fills both cores at "
            + Format.integer(ceiling)
            + " records/s";
    String firstCommit =
        cpu == null
            ? ""
            : "; its first commit came "
                + Format.decimal(cpu.secondsToFirstCommit(), 1)
                + " s after the start, "
                + Format.percent(cpu.secondsToFirstCommit() / eo.wallSeconds())
                + " of the run";
    rows.add(
        new Row(
            "cold exactly-once `run ledger`, records/s wall ≥ " + Format.integer(WALL_GOAL),
            Format.integer(eo.wallRecordsPerSecond()),
            eo.wallRecordsPerSecond() >= WALL_GOAL,
            coresCeiling
                + "; "
                + Format.integer(WALL_GOAL)
                + " records/s leaves "
                + Format.decimal(GOAL_CORES * 1e6 / WALL_GOAL, 1)
                + " µs per record for everything on the box, broker included"
                + firstCommit));
    double coldOnly = cpu == null ? 0 : micros(cpu, COLD_ONLY, eo.records());
    String steadyBetween =
        Format.integer(STEADY_GOAL)
            + " records/s leaves "
            + Format.decimal(GOAL_CORES * 1e6 / STEADY_GOAL, 1)
            + " µs per record on "
            + GOAL_CORES
            + " cores"
            + (cpu == null
                ? ""
                : "; without the cold-only CPU (JIT, start-up, runtime: "
                    + Format.decimal(coldOnly, 1)
                    + " µs) the process still spends "
                    + Format.decimal(micros - coldOnly, 1)
                    + " µs per record");
    rows.add(
        new Row(
            "cold exactly-once, records/s steady ≥ " + Format.integer(STEADY_GOAL),
            Format.integer(eo.steadyRecordsPerSecond()),
            eo.steadyRecordsPerSecond() >= STEADY_GOAL,
            steadyBetween));
    rows.add(
        new Row(
            "cold exactly-once, CPU per record ≤ " + Format.decimal(MICROS_GOAL, 0) + " µs",
            Format.decimal(micros, 1) + " µs",
            micros <= MICROS_GOAL,
            cpu == null ? "no CPU breakdown in this run" : microsBetween(eo, cpu, profiled)));
    if (alo != null) {
      double ratio = eo.wallRecordsPerSecond() / alo.wallRecordsPerSecond();
      rows.add(
          new Row(
              "exactly-once ≥ "
                  + Format.percent(EO_OVER_ALO_GOAL)
                  + " of at-least-once (cold, wall)",
              Format.percent(ratio),
              ratio >= EO_OVER_ALO_GOAL,
              eoOverAloBetween(eo, alo)));
    }
    copy.ifPresent(
        run -> {
          double ratio = eo.steadyRecordsPerSecond() / run.throughput().recordsPerSecond();
          rows.add(
              new Row(
                  "exactly-once steady ≥ "
                      + Format.percent(EO_OVER_COPY_GOAL)
                      + " of the plain transactional copy's",
                  Format.percent(ratio),
                  ratio >= EO_OVER_COPY_GOAL,
                  "the copy spends "
                      + Format.decimal(1e6 / run.throughput().recordsPerCpuSecond(), 1)
                      + " µs per record: no decoding, no state, no Flink; the job's per-record"
                      + " work is in the previous rows"));
        });
  }

  /** Where exactly-once's extra time goes: CPU when it spends more, else waiting on commits. */
  private static String eoOverAloBetween(UserRunResult eo, UserRunResult alo) {
    double extra = eo.cpuMicrosPerRecord() - alo.cpuMicrosPerRecord();
    String cause =
        extra > 0
            ? "exactly-once spends "
                + Format.decimal(extra, 1)
                + " µs more CPU per record (transactions, their commit at each checkpoint, the"
                + " committer)"
            : "exactly-once spent no more CPU per record ("
                + Format.decimal(eo.cpuMicrosPerRecord(), 1)
                + " against "
                + Format.decimal(alo.cpuMicrosPerRecord(), 1)
                + " µs): the difference is time, the input counts as done only when the"
                + " checkpoint that commits its output completes";
    return cause + "; one cold run each, so run-to-run noise on the shared cores is in the ratio";
  }

  /** What the CPU per record is made of, largest parts first. */
  private static String microsBetween(
      UserRunResult eo, CpuBreakdown cpu, UserRunResult profiledRow) {
    long records = eo.records();
    String ledger = NativeProfile.LEDGER_TASK;
    StringBuilder text =
        new StringBuilder("cold-only CPU (JIT, start-up, runtime) ")
            .append(Format.decimal(micros(cpu, COLD_ONLY, records), 1))
            .append(" µs, the ledger task ")
            .append(Format.decimal(cpu.groupNanos(ledger) / 1e3 / records, 1))
            .append(" µs");
    NativeProfile profile = profile(eo, profiledRow);
    if (profile != null) {
      text.append(" (of which RocksDB's native code ")
          .append(
              Format.decimal(
                  profile.ledgerMicrosPerRecord(
                      profile.ledgerByLibrary,
                      NativeProfile.ROCKSDB,
                      cpu.groupNanos(ledger),
                      records),
                  1))
          .append(" µs; the profile is below)");
    }
    text.append(", RocksDB's flushes and compactions ")
        .append(Format.decimal(cpu.groupNanos(ROCKSDB_BACKGROUND) / 1e3 / records, 1))
        .append(" µs: the ledger task and RocksDB alone are ")
        .append(
            Format.decimal(
                (cpu.groupNanos(ledger) + cpu.groupNanos(ROCKSDB_BACKGROUND)) / 1e3 / records, 1))
        .append(" µs");
    return text.toString();
  }

  private static double micros(CpuBreakdown cpu, List<String> groups, long records) {
    return groups.stream().mapToLong(cpu::groupNanos).sum() / 1e3 / records;
  }

  private static void visibility(List<Row> rows, BenchResults results) {
    for (IntervalSweep.Point point : results.sweep()) {
      Distribution latency = point.run().latencyMillis();
      if (latency.count() == 0) {
        continue;
      }
      long interval = point.interval().toMillis();
      long over = latency.p99() - interval;
      Distribution checkpoints = point.run().checkpoints().durationMillis();
      rows.add(
          new Row(
              "visibility p99 ≤ interval + "
                  + VISIBILITY_MARGIN_MILLIS
                  + " ms at "
                  + Format.millis(interval),
              "interval + " + String.format(java.util.Locale.ROOT, "%,d ms", over),
              over <= VISIBILITY_MARGIN_MILLIS,
              "output becomes visible when the checkpoint covering it completes: this run's"
                  + " checkpoints took "
                  + Format.millis(checkpoints.p50())
                  + " (p50) / "
                  + Format.millis(checkpoints.p99())
                  + " (p99) from trigger to the last acknowledgement, then the transactions"
                  + " commit and the reader polls"));
    }
  }

  private static void state(List<Row> rows, BenchResults results) {
    List<RunResult> points = results.stateGrowth();
    Optional<RunResult> main = results.main(RunKind.EXACTLY_ONCE);
    if (points.size() < 2 || main.isEmpty()) {
      return;
    }
    RunResult largest = points.get(points.size() - 1);
    int accounts = largest.spec().accounts();
    String scope =
        accounts >= STATE_GOAL_ACCOUNTS
            ? ""
            : " (largest run here: " + Format.integer(accounts) + " accounts)";
    double ratio =
        largest.throughput().recordsPerSecond() / main.get().throughput().recordsPerSecond();
    rows.add(
        new Row(
            Format.integer(STATE_GOAL_ACCOUNTS)
                + " accounts: ≥ "
                + Format.percent(STATE_RATE_GOAL)
                + " of the "
                + Format.integer(main.get().spec().accounts())
                + "-account rate"
                + scope,
            Format.percent(ratio),
            accounts >= STATE_GOAL_ACCOUNTS && ratio >= STATE_RATE_GOAL,
            "full state "
                + Format.mib(largest.checkpoints().fullStateBytes())
                + " against "
                + tally.cluster.embedded.FlinkMiniCluster.managedMemory(
                        results.settings().parallelism())
                    .getMebiBytes()
                + " MiB of managed memory for the job's "
                + results.settings().parallelism()
                + " slots (RocksDB's write buffers and block cache): account reads miss the"
                + " cache and decompress blocks, and every checkpoint flushes a small L0 file"
                + " whose accounts, spread at random, make each compaction into L1 rewrite all"
                + " of it; the compaction thread takes its share of the 2 cores"
                + " (docs/your-kafka-and-flink.md §4)"));
    long p99 = largest.checkpoints().durationMillis().p99();
    rows.add(
        new Row(
            "checkpoint p99 ≤ " + Format.millis(STATE_CHECKPOINT_P99_GOAL_MILLIS) + scope,
            Format.millis(p99),
            accounts >= STATE_GOAL_ACCOUNTS && p99 <= STATE_CHECKPOINT_P99_GOAL_MILLIS,
            accounts >= STATE_GOAL_ACCOUNTS
                ? "each checkpoint's synchronous part flushes the memtables, and a compaction"
                    + " running behind delays it (docs/your-kafka-and-flink.md §4)"
                : "the run at this size was not part of this bench"));
  }

  /**
   * The native profile of the profiled exactly-once process, if it was recorded with samples on the
   * ledger task, and the unprofiled one's breakdown to turn its shares into µs.
   */
  private static NativeProfile profile(UserRunResult eo, UserRunResult profiled) {
    if (eo == null || eo.cpuBreakdown() == null || profiled == null) {
      return null;
    }
    CpuBreakdown cpu = profiled.cpuBreakdown();
    NativeProfile profile = cpu == null ? null : cpu.nativeProfile();
    return profile == null || profile.ledgerSamples() == 0 ? null : profile;
  }

  /** The ledger task's profile (shares of the profiled process, µs of the unprofiled one). */
  private static void ledgerProfile(StringBuilder md, BenchResults results) {
    UserRunResult eo = UserRunsReport.rowOf(results.userRuns(), ColdVariant.EXACTLY_ONCE);
    UserRunResult profiled =
        UserRunsReport.rowOf(results.userRuns(), ColdVariant.PROFILED_EXACTLY_ONCE);
    NativeProfile profile = profile(eo, profiled);
    if (profile == null) {
      return;
    }
    long ledgerNanos = eo.cpuBreakdown().groupNanos(NativeProfile.LEDGER_TASK);
    md.append("### The ledger task, profiled\n\n")
        .append(
            "CPU samples (async-profiler, every millisecond of CPU, Java and native frames) of one"
                + " more cold exactly-once process on the same backlog, ")
        .append(Format.integer(profile.ledgerSamples()))
        .append(" of them on the ledger task's threads. The profiler slows that process (")
        .append(Format.decimal(profiled.cpuMicrosPerRecord(), 1))
        .append(" µs of CPU per record against ")
        .append(Format.decimal(eo.cpuMicrosPerRecord(), 1))
        .append(
            " unprofiled), so its shares are turned into µs per record of the unprofiled"
                + " process's ledger task (")
        .append(Format.decimal(ledgerNanos / 1e9, 1))
        .append(
            " CPU s). An operation counts a sample when it is on its stack (the first listed"
                + " wins); code counts it for the first library on the stack in the order listed,"
                + " so RocksDB's own calls into libc and the kernel count for RocksDB.\n\n")
        .append(profile.ledgerMarkdown(ledgerNanos, eo.records()))
        .append('\n');
  }
}
