package tally.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole bench: the three delivery guarantees and the plain copy side by side on one broker and
 * one MiniCluster, then exactly-once at other state sizes. Runs one after another, never
 * overlapping, so each has the machine to itself.
 */
final class Benchmark {
  private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);

  private final BenchSettings settings;
  private final UserRuns userRuns;

  Benchmark(BenchSettings settings) {
    this(settings, UserRuns.NONE);
  }

  Benchmark(BenchSettings settings, UserRuns userRuns) {
    this.settings = settings;
    this.userRuns = userRuns;
  }

  /** The runs, in order. The first measures the latency rate every later main run uses. */
  List<RunSpec> plan() {
    List<RunSpec> plan = new ArrayList<>();
    int accounts = settings.accounts();
    long n = settings.records();
    for (RunKind kind : RunKind.values()) {
      if (!settings.kinds().contains(kind)) {
        continue;
      }
      // The first run measures the rate of every main run's latency phase (half its maximum).
      plan.add(
          new RunSpec(
              "main",
              kind,
              accounts,
              n,
              plan.isEmpty() ? -1 : 0,
              RunSpec.Topology.CURRENT,
              settings.profile().warm() && kind.isJob()));
      if (kind == RunKind.EXACTLY_ONCE || kind == RunKind.AT_LEAST_ONCE) {
        // Neighbours of the main run, so that the comparison suffers least from other load.
        if (settings.beforeTuning()) {
          plan.add(
              new RunSpec(
                  "before",
                  kind,
                  accounts,
                  n,
                  0,
                  RunSpec.Topology.BEFORE_TUNING,
                  settings.profile().warm()));
        }
      }
    }
    for (int stateAccounts : settings.stateAccounts()) {
      plan.add(
          new RunSpec(
              "state", RunKind.EXACTLY_ONCE, stateAccounts, n, 0, RunSpec.Topology.CURRENT, false));
    }
    return plan;
  }

  /**
   * Two full-size runs whose figures are thrown away, exactly-once then at-least-once: the first
   * runs in a fresh JVM and MiniCluster pay for JIT compilation and cold caches. Measured: with one
   * warm-up run (a fifth of the backlog or all of it) the next run was still about 20 % slower than
   * later ones whatever its mode (at-least-once in that place: 99,593 records/s; further on
   * 118,102-123,625), which made exactly-once, the first main run, look slower than at-least-once.
   */
  private void warmUp(BenchEnvironment env) throws Exception {
    long records = settings.records();
    for (RunKind kind : List.of(RunKind.EXACTLY_ONCE, RunKind.AT_LEAST_ONCE)) {
      LOG.info(
          "Bench warm-up: {} records, {} (figures discarded)", Format.integer(records), kind.label);
      new LedgerRun(
              env,
              new RunSpec(
                  "warm-up",
                  kind,
                  settings.accounts(),
                  records,
                  0,
                  RunSpec.Topology.CURRENT,
                  false))
          .execute();
    }
  }

  BenchResults run(Path workDir) throws Exception {
    List<RunSpec> plan = plan();
    List<RunResult> results = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<UserRunResult> users = new ArrayList<>();
    List<RestoreTiming> restores = new ArrayList<>();
    List<IntervalSweep.Point> sweep = List.of();
    double loadBefore = LoadAverage.now();
    long started = System.nanoTime();
    try (BenchEnvironment env = BenchEnvironment.start(settings, workDir)) {
      warmUp(env);
      double latencyRate = 0;
      for (int i = 0; i < plan.size(); i++) {
        RunSpec spec = plan.get(i);
        if (spec.latencyRate() == 0 && spec.label().equals("main")) {
          spec = spec.withLatencyRate(latencyRate); // the same steady rate for every main run
        }
        LOG.info(
            "Bench run {}/{}: {} {}, {} records over {} accounts ({} s elapsed)",
            i + 1,
            plan.size(),
            spec.kind().label,
            RunLabels.variant(spec),
            Format.integer(spec.records()),
            Format.integer(spec.accounts()),
            (System.nanoTime() - started) / 1_000_000_000L);
        BenchRun run = runFor(env, spec);
        try {
          RunResult result = run.execute();
          results.add(result);
          if (run instanceof StateRun state && state.timing() != null) {
            restores.add(state.timing());
          }
          if (i == 0) {
            latencyRate = result.latencyRate();
          }
        } catch (Exception e) {
          // One failed run (e.g. a broker stall on an overloaded machine) should not cost the
          // others.
          LOG.error(
              "Bench run {}/{} ({}) failed: {}",
              i + 1,
              plan.size(),
              spec.kind().label,
              e.toString());
          failures.add(
              spec.kind().label
                  + " "
                  + RunLabels.variant(spec)
                  + " at "
                  + Format.integer(spec.accounts())
                  + " accounts: "
                  + e.getMessage());
        }
      }
      if (!settings.latencyIntervals().isEmpty()) {
        sweep = new IntervalSweep(settings).run(env, latencyRate, failures);
      }
      users.addAll(userRuns.runCold(env));
    }
    users.addAll(userRuns.runCluster(settings, workDir));
    // A failed or wrongly audited user-path run is a failure of the whole bench, like any other.
    users.stream()
        .filter(user -> !user.passed())
        .forEach(user -> failures.add(user.contender() + ": " + user.failure()));
    double minutes = (System.nanoTime() - started) / 60e9;
    LOG.info("Bench finished: {} runs in {} min", results.size(), Format.decimal(minutes, 1));
    return new BenchResults(
        settings,
        MachineInfo.current(),
        results,
        minutes,
        failures,
        loadBefore,
        LoadAverage.now(),
        users,
        restores,
        sweep);
  }

  /** A state-growth run preloads its accounts when asked to ({@link StateRun}). */
  static boolean preloadsState(BenchSettings settings, RunSpec spec) {
    return settings.statePreload() && spec.label().equals("state") && spec.kind().isJob();
  }

  private BenchRun runFor(BenchEnvironment env, RunSpec spec) {
    if (preloadsState(settings, spec)) {
      return new StateRun(env, spec);
    }
    return spec.kind().isJob() ? new LedgerRun(env, spec) : new CopyRun(env, spec);
  }
}
