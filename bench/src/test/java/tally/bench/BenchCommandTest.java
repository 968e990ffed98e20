package tally.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Option parsing of {@code tally bench}: the state preload and the latency sweep. */
class BenchCommandTest {

  private static BenchSettings parse(String... args) {
    BenchCommand command = new BenchCommand();
    new CommandLine(command).parseArgs(args);
    return command.settings();
  }

  @Test
  void defaultsPreloadStateAndSweepFourIntervalsOnHalfTheBacklog() {
    BenchSettings settings = parse();

    assertThat(settings.statePreload()).isTrue();
    assertThat(settings.stateAccounts()).containsExactly(10_000, 1_000_000, 3_000_000, 10_000_000);
    assertThat(settings.profile()).isEqualTo(Profiling.NONE);
    assertThat(settings.latencyIntervals())
        .containsExactly(
            Duration.ofMillis(200),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5));
    assertThat(settings.sweepRecords()).isEqualTo(1_000_000);
  }

  @Test
  void profileAloneIsEverythingAndColdOnlyTheColdProcesses() {
    assertThat(parse("--profile").profile()).isEqualTo(Profiling.ALL);
    assertThat(parse("--profile=cold").profile())
        .satisfies(p -> assertThat(p.cold()).isTrue(), p -> assertThat(p.warm()).isFalse());
    assertThatThrownBy(() -> parse("--profile=warmest"))
        .hasMessageContaining("none of none, cold, all");
  }

  @Test
  void bothCanBeSwitchedOff() {
    BenchSettings settings =
        parse("--no-state-preload", "--latency-intervals", "none", "--state-accounts", "none");

    assertThat(settings.statePreload()).isFalse();
    assertThat(settings.latencyIntervals()).isEmpty();
    assertThat(settings.stateAccounts()).isEmpty();
  }

  @Test
  void intervalsAndSweepBacklogAsGiven() {
    BenchSettings settings =
        parse(
            "--records",
            "200000",
            "--latency-intervals",
            "500ms,1s,500ms",
            "--latency-sweep-records",
            "50000");

    assertThat(settings.latencyIntervals())
        .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(settings.sweepRecords()).isEqualTo(50_000);
  }

  @Test
  void refusesBadIntervals() {
    assertThatThrownBy(() -> parse("--latency-intervals", "soon"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--latency-intervals");
    assertThatThrownBy(() -> parse("--latency-intervals", "0ms"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> parse("--latency-sweep-records", "10"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--latency-sweep-records");
  }

  @Test
  void planHasPreloadingStateRunsAndTheSweepAtTheMainRate() {
    BenchSettings settings =
        parse("--runs", "eo", "--no-before-tuning", "--state-accounts", "300000,100000");

    List<RunSpec> plan = new Benchmark(settings).plan();

    assertThat(plan).extracting(RunSpec::label).containsExactly("main", "state");
    RunSpec state = plan.get(1);
    assertThat(state.accounts()).isEqualTo(300_000); // 100,000 is the main run
    assertThat(state.records()).isEqualTo(settings.records());
    assertThat(Benchmark.preloadsState(settings, state)).isTrue();
    assertThat(Benchmark.preloadsState(settings, plan.get(0))).isFalse();
    assertThat(
            Benchmark.preloadsState(
                parse("--no-state-preload", "--state-accounts", "300000"), state))
        .isFalse();

    List<IntervalSweep.Planned> sweep = new IntervalSweep(settings).plan(52_000);
    assertThat(sweep)
        .extracting(IntervalSweep.Planned::interval)
        .containsExactly(
            Duration.ofMillis(200),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5));
    for (IntervalSweep.Planned planned : sweep) {
      assertThat(planned.spec().kind()).isEqualTo(RunKind.EXACTLY_ONCE);
      assertThat(planned.spec().label()).isEqualTo(IntervalSweep.LABEL);
      assertThat(planned.spec().records()).isEqualTo(1_000_000);
      assertThat(planned.spec().latencyRate()).isEqualTo(52_000);
    }
    // Without a main run's rate, each sweep run takes half its own maximum.
    assertThat(new IntervalSweep(settings).plan(0).get(0).spec().latencyRate()).isNegative();
  }
}
