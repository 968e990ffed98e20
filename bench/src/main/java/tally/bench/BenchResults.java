package tally.bench;

import java.util.List;
import java.util.Optional;

/** Everything one bench invocation measured, for the report. */
record BenchResults(
    BenchSettings settings,
    MachineInfo machine,
    List<RunResult> runs,
    double minutes,
    List<String> failures,
    double loadBefore,
    double loadAfter,
    List<UserRunResult> userRuns,
    List<RestoreTiming> restores,
    List<IntervalSweep.Point> sweep) {

  BenchResults {
    userRuns = List.copyOf(userRuns);
  }

  /** Without what-users-run figures, restore timings and latency sweep. */
  BenchResults(
      BenchSettings settings,
      MachineInfo machine,
      List<RunResult> runs,
      double minutes,
      List<String> failures,
      double loadBefore,
      double loadAfter) {
    this(
        settings,
        machine,
        runs,
        minutes,
        failures,
        loadBefore,
        loadAfter,
        List.of(),
        List.of(),
        List.of());
  }

  /** The restore timing of the state-growth run at {@code accounts}, if one was measured. */
  Optional<RestoreTiming> restore(int accounts) {
    return restores.stream().filter(r -> r.accounts() == accounts).findFirst();
  }

  Optional<RunResult> main(RunKind kind) {
    return find("main", kind);
  }

  Optional<RunResult> beforeTuning(RunKind kind) {
    return find("before", kind);
  }

  List<RunResult> stateGrowth() {
    List<RunResult> points =
        new java.util.ArrayList<>(
            runs.stream().filter(run -> run.spec().label().equals("state")).toList());
    main(RunKind.EXACTLY_ONCE).ifPresent(points::add);
    points.sort(java.util.Comparator.comparingInt(run -> run.spec().accounts()));
    return points;
  }

  private Optional<RunResult> find(String label, RunKind kind) {
    return runs.stream()
        .filter(run -> run.spec().label().equals(label) && run.spec().kind() == kind)
        .findFirst();
  }
}
