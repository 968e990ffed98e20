package tally.testkit.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PacerTest {

  /** A clock that only moves when the pacer parks (or the test says so). */
  private static final class FakeTime {
    long now = 1_000_000L;
    long parks;
    boolean stopOnPark;
    boolean stopRequested;

    void park(long nanos) {
      parks++;
      now += nanos;
      if (stopOnPark) {
        stopRequested = true;
      }
    }
  }

  @Test
  void spacesSlotsEvenlyAtTheRate() {
    FakeTime time = new FakeTime();
    Pacer pacer = new Pacer(1_000, () -> time.now, time::park);
    long start = time.now;

    for (int i = 0; i < 1_001; i++) {
      assertThat(pacer.awaitNextSlot(() -> false)).isTrue();
    }

    // slot 0 at start, slot 1000 one second later
    assertThat(time.now - start).isEqualTo(TimeUnit.SECONDS.toNanos(1));
  }

  @Test
  void doesNotBurstToCatchUpAfterAStall() {
    FakeTime time = new FakeTime();
    Pacer pacer = new Pacer(100, () -> time.now, time::park); // 10 ms apart
    for (int i = 0; i < 10; i++) {
      pacer.awaitNextSlot(() -> false);
    }

    time.now += TimeUnit.SECONDS.toNanos(5); // the caller was stuck for 5 s
    long parksBefore = time.parks;
    pacer.awaitNextSlot(() -> false); // due long ago: immediately
    long afterStall = time.now;
    pacer.awaitNextSlot(() -> false);

    assertThat(time.parks).isGreaterThan(parksBefore); // the second one waited ...
    assertThat(time.now - afterStall)
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(10)); // ... one interval
  }

  @Test
  void stopsWhileWaiting() {
    FakeTime time = new FakeTime();
    time.stopOnPark = true;
    Pacer pacer = new Pacer(0.1, () -> time.now, time::park); // one slot per 10 s

    assertThat(pacer.awaitNextSlot(() -> time.stopRequested))
        .isTrue(); // the first slot is due at once
    assertThat(pacer.awaitNextSlot(() -> time.stopRequested)).isFalse();
    assertThat(time.parks).isEqualTo(1); // parks are short, so a stop is seen quickly
  }

  @Test
  void zeroRateMeansNoPacing() {
    FakeTime time = new FakeTime();
    Pacer pacer = new Pacer(0, () -> time.now, time::park);

    for (int i = 0; i < 10_000; i++) {
      assertThat(pacer.awaitNextSlot(() -> false)).isTrue();
    }
    assertThat(time.parks).isZero();
    assertThat(pacer.awaitNextSlot(() -> true)).isFalse();
  }
}
