package tally.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CommittedProgressTest {
  private static final long S = 1_000_000_000L;

  @Test
  void wallFromStartAndSteadyRateBetweenTenAndNinetyPercent() {
    // Process started at t=0; 5 s start-up; then 10,000 records committed per 1 s checkpoint.
    CommittedProgress progress = new CommittedProgress(0, 100_000);
    progress.add(1 * S, 0);
    progress.add(5 * S, 0);
    for (int i = 1; i <= 10; i++) {
      progress.add((5 + i) * S, i * 10_000L);
      progress.add((5 + i) * S + S / 2, i * 10_000L); // samples between commits repeat
    }
    assertThat(progress.complete()).isTrue();
    assertThat(progress.wallSeconds()).isCloseTo(15.0, within(1e-9));
    // 10 % at t=6 s (10,000), 90 % at t=14 s (90,000): 80,000 records in 8 s.
    assertThat(progress.steadyRecordsPerSecond()).isCloseTo(10_000.0, within(1e-6));
  }

  @Test
  void notCompleteHasNoWallTime() {
    CommittedProgress progress = new CommittedProgress(0, 1_000);
    progress.add(S, 500);
    assertThat(progress.complete()).isFalse();
    assertThat(progress.wallSeconds()).isNaN();
  }

  @Test
  void oneCommitAcrossTheWholeWindowGivesNoSteadyRate() {
    CommittedProgress progress = new CommittedProgress(0, 1_000);
    progress.add(S, 0);
    progress.add(2 * S, 1_000);
    assertThat(progress.wallSeconds()).isCloseTo(2.0, within(1e-9));
    assertThat(progress.steadyRecordsPerSecond()).isNaN();
  }
}
