package tally.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tally.jobs.common.CheckpointIntervalOption;
import tally.jobs.common.DurationConverter;
import tally.jobs.common.ParallelismOption;
import tally.support.cli.WorkDirOption;
import tally.testkit.generate.GeneratorOptions;
import tally.testkit.generate.GeneratorSettings;
import tally.testkit.generate.PartitionsOption;

/**
 * {@code tally bench}: the reproducible one-machine benchmark. Starts its own broker and
 * MiniCluster, runs the ledger job with each delivery guarantee and the plain transactional copy on
 * the same backlog, then exactly-once at other state sizes, and writes the report with plots.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmarks the ledger job on this machine: a local broker, a preloaded backlog, the job"
            + " with exactly-once, at-least-once and no delivery guarantee and a plain Kafka"
            + " transactional copy side by side (throughput, CPU, checkpoints, end-to-end latency),"
            + " then exactly-once as state grows (with restore times) and at several checkpoint"
            + " intervals (latency against interval); first, what users run on the same backlog:"
            + " 'bin/tally run ledger' as a cold process and the job on the process cluster,"
            + " outputs audited. Writes <report-dir>/benchmarks.md and <report-dir>/img/*.png."
            + " About 40-50 min with the defaults on 2 cores; --no-cold --no-cluster"
            + " --state-accounts none --latency-intervals none: 8-12 min.")
public final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--records",
      defaultValue = "2000000",
      description = "Backlog of each run (default: ${DEFAULT-VALUE}).")
  long records;

  @Mixin
  GeneratorOptions generator =
      new GeneratorOptions(GeneratorSettings.defaults().withAccounts(100_000));

  @Mixin PartitionsOption partitionsOption = new PartitionsOption();

  @Mixin ParallelismOption parallelismOption = new ParallelismOption(2);

  @Mixin
  CheckpointIntervalOption checkpointing = new CheckpointIntervalOption(Duration.ofSeconds(1));

  @Option(
      names = "--state-accounts",
      defaultValue = "10000,1000000,3000000,10000000",
      split = ",",
      paramLabel = "N",
      description =
          "Extra exactly-once runs at these account counts to show state growth; 'none' skips them"
              + " (default: ${DEFAULT-VALUE}; the 10 M run takes 12-20 min on 2 cores, its"
              + " preload of 10 M opening deposits 7-14).")
  List<String> stateAccounts;

  @Option(
      names = "--state-preload",
      defaultValue = "true",
      negatable = true,
      fallbackValue = "true",
      description =
          "Before each --state-accounts run's backlog, apply one opening deposit per account so"
              + " that state holds all of them, and time restores from a savepoint and from the"
              + " retained checkpoint afterwards; --no-state-preload runs the backlog alone, as"
              + " before (default: ${DEFAULT-VALUE}).")
  boolean statePreload;

  @Option(
      names = "--latency-intervals",
      defaultValue = "200ms,500ms,1s,5s",
      split = ",",
      paramLabel = "INTERVAL",
      description =
          "Latency sweep: exactly-once with these checkpoint intervals, each catching up with a"
              + " backlog of --latency-sweep-records and then at the main runs' steady rate; 'none'"
              + " skips it (default: ${DEFAULT-VALUE}).")
  List<String> latencyIntervals;

  @Option(
      names = "--latency-sweep-records",
      defaultValue = "-1",
      paramLabel = "N",
      description = "Backlog of each latency-sweep run (default: half of --records).")
  long sweepRecords;

  @Option(
      names = "--latency-duration",
      defaultValue = "15s",
      converter = DurationConverter.class,
      description = "Length of each run's steady-rate latency phase (default: ${DEFAULT-VALUE}).")
  Duration latencyDuration;

  @Option(
      names = "--before-tuning",
      defaultValue = "true",
      negatable = true,
      fallbackValue = "true",
      description =
          "Also run exactly-once and at-least-once with the job settings from before the"
              + " profile-driven changes, for before/after figures (default: ${DEFAULT-VALUE}).")
  boolean beforeTuning;

  @Option(
      names = "--runs",
      defaultValue = "eo,alo,none,copy",
      split = ",",
      paramLabel = "KIND",
      description =
          "Main runs to do (always in the order eo, alo, none, copy): eo = exactly-once, alo ="
              + " at-least-once, none, copy = plain transactional copy; the first sets the latency"
              + " phase's rate (default: ${DEFAULT-VALUE}).")
  List<String> runs;

  @Option(
      names = "--cold",
      defaultValue = "true",
      negatable = true,
      fallbackValue = "true",
      description =
          "Also run what users start on one machine, each as a cold child process: 'bin/tally run"
              + " ledger' exactly-once and at-least-once on the same backlog, its output audited"
              + " (default: ${DEFAULT-VALUE}). Needs a built checkout (mvn package).")
  boolean cold;

  @Option(
      names = "--cluster",
      defaultValue = "true",
      negatable = true,
      fallbackValue = "true",
      description =
          "Also bring up the no-Docker process cluster (loopback) in the work dir, run the ledger"
              + " job on it with 'flink run' on the same backlog, audit its output and tear it"
              + " down; costs 1-2 min (default: ${DEFAULT-VALUE}).")
  boolean cluster;

  @Option(
      names = "--profile",
      arity = "0..1",
      defaultValue = "none",
      fallbackValue = "all",
      paramLabel = "WHAT",
      description =
          "Profile and add the summaries to the report: 'cold' runs one more cold exactly-once"
              + " 'run ledger' process with async-profiler (Java and native frames, so RocksDB's"
              + " time shows; it slows that process by about half, the other rows stay"
              + " unprofiled; JFR where async-profiler has no library for the platform); 'all'"
              + " (--profile alone) also records the warm exactly-once runs with Java Flight"
              + " Recorder, which slows them about threefold (default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(
      names = "--report-dir",
      defaultValue = "docs",
      description = "Where benchmarks.md and img/ are written (default: ${DEFAULT-VALUE}).")
  Path reportDir;

  @Mixin WorkDirOption workDirOption = new WorkDirOption();

  @Override
  public Integer call() throws Exception {
    BenchSettings settings = settings();
    Path workDir = workDirOption.workDir;
    boolean temporary = workDir == null;
    Path dir =
        temporary
            ? java.nio.file.Files.createTempDirectory("tally-bench-")
            : java.nio.file.Files.createDirectories(workDir);
    try {
      BenchResults results = new Benchmark(settings, new UserRuns(cold, cluster)).run(dir);
      Path report = new BenchReport(results, commandLine()).write(reportDir);
      spec.commandLine().getOut().println("Report written to " + report.toAbsolutePath());
      if (!results.failures().isEmpty()) {
        // The report lists them; a script running the bench must not take it for a clean run.
        spec.commandLine()
            .getErr()
            .println(
                "tally bench: "
                    + results.failures().size()
                    + " run(s) failed; see 'Runs that failed' in the report");
        return 1;
      }
      return 0;
    } finally {
      if (temporary) {
        tally.support.FileTrees.deleteRecursively(dir);
      }
    }
  }

  BenchSettings settings() {
    int accounts = generator.accounts;
    int partitions = partitionsOption.partitions;
    Integer parallelism = parallelismOption.parallelism;
    Duration checkpointInterval = checkpointing.interval;
    double duplicateRatio = generator.duplicateRatio;
    double invalidRatio = generator.invalidRatio;
    require(parallelism != null, "--parallelism must be given");
    require(records >= 1_000, "--records must be at least 1000");
    require(accounts >= 1, "--accounts must be positive");
    require(partitions >= 1 && parallelism >= 1, "--partitions and --parallelism must be positive");
    require(
        parallelism <= partitions,
        "--parallelism must not exceed --partitions (idle subtasks would skew the figures)");
    require(
        !checkpointInterval.isZero(),
        "--checkpoint-interval must be positive: exactly-once needs checkpoints");
    require(!latencyDuration.isNegative(), "--latency-duration must not be negative");
    require(
        duplicateRatio >= 0 && invalidRatio >= 0 && duplicateRatio + invalidRatio < 1,
        "--duplicate-ratio and --invalid-ratio must be within [0, 1) and add up to less than 1");
    return new BenchSettings(
        records,
        accounts,
        partitions,
        parallelism,
        checkpointInterval,
        parseAccounts(),
        latencyDuration,
        duplicateRatio,
        invalidRatio,
        generator.seed.seed,
        beforeTuning,
        Profiling.parse(profile),
        reportDir,
        workDirOption.workDir,
        parseKinds(),
        statePreload,
        parseIntervals(),
        sweepRecords < 0 ? records / 2 : sweepRecords);
  }

  private List<Duration> parseIntervals() {
    List<Duration> parsed = new ArrayList<>();
    if (latencyIntervals.size() == 1 && latencyIntervals.get(0).trim().equalsIgnoreCase("none")) {
      return parsed;
    }
    require(
        sweepRecords < 0 || sweepRecords >= 1_000, "--latency-sweep-records must be at least 1000");
    for (String value : latencyIntervals) {
      Duration interval;
      try {
        interval = DurationConverter.parse(value);
      } catch (picocli.CommandLine.TypeConversionException e) {
        throw new ParameterException(
            spec.commandLine(), "--latency-intervals: " + e.getMessage() + " (or use 'none')");
      }
      require(!interval.isZero(), "--latency-intervals values must be positive");
      if (!parsed.contains(interval)) {
        parsed.add(interval);
      }
    }
    return parsed;
  }

  private java.util.Set<RunKind> parseKinds() {
    java.util.Set<RunKind> kinds = java.util.EnumSet.noneOf(RunKind.class);
    for (String value : runs) {
      RunKind kind =
          java.util.Arrays.stream(RunKind.values())
              .filter(k -> k.shortSlug().equalsIgnoreCase(value.trim()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new ParameterException(
                          spec.commandLine(),
                          "--runs: '" + value + "' is not one of eo, alo, none, copy"));
      kinds.add(kind);
    }
    return kinds;
  }

  private List<Integer> parseAccounts() {
    List<Integer> parsed = new ArrayList<>();
    if (stateAccounts.size() == 1 && stateAccounts.get(0).equalsIgnoreCase("none")) {
      return parsed;
    }
    for (String value : stateAccounts) {
      try {
        int n = Integer.parseInt(value.trim().replace("_", ""));
        require(n >= 1, "--state-accounts values must be positive");
        if (n != generator.accounts) { // the main run is that point already
          parsed.add(n);
        }
      } catch (NumberFormatException e) {
        throw new ParameterException(
            spec.commandLine(),
            "--state-accounts: '" + value + "' is not a number (or use 'none')");
      }
    }
    return parsed;
  }

  private String commandLine() {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    return ("bin/tally " + String.join(" ", args)).trim();
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }
}
