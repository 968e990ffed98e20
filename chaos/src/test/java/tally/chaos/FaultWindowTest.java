package tally.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultWindowTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private static FaultRecord fault(
      int secondsAfterT0, long flowingMillis, long repairedMillis, boolean recovered) {
    return new FaultRecord(
        1,
        FaultKind.TM_HANG,
        "taskmanager-1 (pid 1)",
        T0.plusSeconds(secondsAfterT0),
        1000,
        flowingMillis,
        repairedMillis,
        recovered,
        1,
        "");
  }

  private static JobFailover failover(int secondsAfterT0) {
    return new JobFailover(
        T0.plusSeconds(secondsAfterT0), "java.lang.Exception: at " + secondsAfterT0);
  }

  @Test
  void aWindowRunsFromTheInjectionToTheLaterOfFlowingAndRepairedPlusTheGrace() {
    FaultWindow window = FaultWindow.of(fault(100, 12_000, 20_000, true), Duration.ofSeconds(30));

    assertThat(window.from()).isEqualTo(T0.plusSeconds(100));
    assertThat(window.until()).isEqualTo(T0.plusSeconds(150));
    assertThat(window.covers(T0.plusSeconds(100))).isTrue();
    assertThat(window.covers(T0.plusSeconds(150))).isTrue();
    assertThat(window.covers(T0.plusSeconds(99))).isFalse();
    assertThat(window.covers(T0.plusSeconds(151))).isFalse();
  }

  @Test
  void failoversOutsideEveryFaultWindowAreWithoutAFaultOldestFirst() {
    List<FaultWindow> windows =
        FaultWindow.of(
            List.of(fault(100, 10_000, 5_000, true), fault(300, 8_000, 8_000, true)),
            FaultWindow.GRACE);

    List<JobFailover> unexplained =
        FaultWindow.failoversWithoutFault(
            windows,
            List.of(
                failover(500), // after both
                failover(101), // the first fault's own failover
                failover(20), // before any fault
                failover(139), // the first fault's grace
                failover(141), // just past it
                failover(330))); // the second fault's grace

    assertThat(unexplained)
        .extracting(JobFailover::at)
        .containsExactly(T0.plusSeconds(20), T0.plusSeconds(141), T0.plusSeconds(500));
  }

  @Test
  void aFaultThatNeverRecoveredExplainsEverythingAfterIt() {
    List<FaultWindow> windows =
        FaultWindow.of(List.of(fault(100, -1, 4_000, false)), FaultWindow.GRACE);

    assertThat(FaultWindow.failoversWithoutFault(windows, List.of(failover(50), failover(10_000))))
        .containsExactly(failover(50));
  }

  @Test
  void withoutFaultsEveryFailoverIsWithoutAFault() {
    assertThat(FaultWindow.failoversWithoutFault(List.of(), List.of(failover(5)))).hasSize(1);
    assertThat(FaultWindow.failoversWithoutFault(List.of(), List.of())).isEmpty();
  }
}
