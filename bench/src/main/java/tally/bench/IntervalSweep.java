package tally.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once output becomes visible when a checkpoint completes: the latency sweep runs the
 * exactly-once job at several checkpoint intervals, each on a fresh (smaller) backlog for
 * throughput and then at the main runs' steady rate for latency.
 */
final class IntervalSweep {
  private static final Logger LOG = LoggerFactory.getLogger(IntervalSweep.class);
  static final String LABEL = "interval";

  /** One interval's run. */
  record Point(Duration interval, RunResult run) {}

  /** A planned run: the interval and its spec. */
  record Planned(Duration interval, RunSpec spec) {}

  private final BenchSettings settings;

  IntervalSweep(BenchSettings settings) {
    this.settings = settings;
  }

  /**
   * The sweep's runs, shortest interval first. {@code latencyRate} is the main runs' steady rate; 0
   * (no main run measured one) = half of each run's own maximum.
   */
  List<Planned> plan(double latencyRate) {
    List<Planned> plan = new ArrayList<>();
    settings.latencyIntervals().stream()
        .sorted()
        .forEach(
            interval ->
                plan.add(
                    new Planned(
                        interval,
                        new RunSpec(
                            LABEL,
                            RunKind.EXACTLY_ONCE,
                            settings.accounts(),
                            settings.sweepRecords(),
                            latencyRate > 0 ? latencyRate : -1,
                            RunSpec.Topology.CURRENT,
                            false))));
    return plan;
  }

  /** Runs the sweep; a failed interval is added to {@code failures} and left out. */
  List<Point> run(BenchEnvironment env, double latencyRate, List<String> failures) {
    List<Planned> plan = plan(latencyRate);
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      Planned planned = plan.get(i);
      LOG.info(
          "Bench latency sweep {}/{}: exactly-once with checkpoints every {} ms, {} records, then"
              + " {} records/s",
          i + 1,
          plan.size(),
          planned.interval().toMillis(),
          Format.integer(planned.spec().records()),
          planned.spec().latencyRate() > 0
              ? Format.integer(planned.spec().latencyRate())
              : "half its maximum");
      try {
        RunResult result = new IntervalRun(env, planned.spec(), planned.interval()).execute();
        points.add(new Point(planned.interval(), result));
      } catch (Exception e) {
        LOG.error(
            "Bench latency sweep at {} ms failed: {}", planned.interval().toMillis(), e.toString());
        failures.add(
            "exactly-once with checkpoints every "
                + planned.interval().toMillis()
                + " ms (latency sweep): "
                + e.getMessage());
      }
    }
    return points;
  }

  /** The ledger job as in the main run, with another checkpoint interval. */
  static final class IntervalRun extends LedgerRun {
    private final Duration interval;

    IntervalRun(BenchEnvironment env, RunSpec spec, Duration interval) {
      super(env, spec);
      this.interval = interval;
      options.runtime.checkpointing.interval = interval;
    }

    @Override
    Duration checkpointInterval() {
      return interval;
    }
  }
}
