package tally.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakScheduleTest {

  private static final List<FaultKind> ALL = Arrays.asList(FaultKind.values());
  private static final Duration THIRTY_MINUTES = Duration.ofMinutes(30);
  private static final Duration TWO_MINUTES = Duration.ofMinutes(2);

  private static SoakSchedule soak(long seed) {
    return new SoakSchedule(ALL, seed, THIRTY_MINUTES, TWO_MINUTES);
  }

  @Test
  void faultsAreDueOnePeriodApartFromTheMeasurementStart() {
    SoakSchedule soak = soak(42);

    assertThat(soak.capacity()).isEqualTo(15);
    assertThat(soak.injectionTime(0, Duration.ZERO)).contains(Duration.ZERO);
    // Steady long before the due time: the fault waits for it.
    assertThat(soak.injectionTime(3, Duration.ofSeconds(200))).contains(Duration.ofMinutes(6));
    assertThat(soak.injectionTime(14, Duration.ofMinutes(27))).contains(Duration.ofMinutes(28));
  }

  @Test
  void aRecoveryThatOverranItsPeriodLetsTheNextFaultGoAsSoonAsSteady() {
    Duration overran = Duration.ofMinutes(7).plusSeconds(13);

    assertThat(soak(42).injectionTime(3, overran)).contains(overran);
    // Later faults keep their own due times: the overrun does not shift the cadence.
    assertThat(soak(42).injectionTime(4, Duration.ofMinutes(7).plusSeconds(40)))
        .contains(Duration.ofMinutes(8));
  }

  @Test
  void noFaultGoesWhenLessThanOnePeriodWouldBeLeft() {
    SoakSchedule soak = soak(42);

    assertThat(soak.injectionTime(14, Duration.ofMinutes(28))).contains(Duration.ofMinutes(28));
    assertThat(soak.injectionTime(14, Duration.ofMinutes(28).plusSeconds(1))).isEmpty();
    assertThat(soak.injectionTime(15, Duration.ofMinutes(28))).isEmpty();
    // 5 minutes with a fault every 2: at 0 and 2 (the one at 4 would leave 1 minute).
    SoakSchedule short_ = new SoakSchedule(ALL, 1, Duration.ofMinutes(5), TWO_MINUTES);
    assertThat(short_.capacity()).isEqualTo(2);
    assertThat(short_.injectionTime(1, Duration.ZERO)).contains(TWO_MINUTES);
    assertThat(short_.injectionTime(2, Duration.ZERO)).isEmpty();
  }

  @Test
  void kindsComeFromTheChoicesNeverTwiceInARowAndTheSameForTheSameSeed() {
    for (long seed = 0; seed < 20; seed++) {
      SoakSchedule soak = soak(seed);
      SoakSchedule again = soak(seed);
      for (int k = 0; k < soak.capacity(); k++) {
        assertThat(soak.kind(k)).isEqualTo(again.kind(k));
        if (k > 0) {
          assertThat(soak.kind(k)).as("seed %d fault %d", seed, k).isNotEqualTo(soak.kind(k - 1));
        }
      }
    }
    List<FaultKind> two = List.of(FaultKind.TM_KILL, FaultKind.JOB_EXCEPTION);
    SoakSchedule alternating = new SoakSchedule(two, 7, THIRTY_MINUTES, TWO_MINUTES);
    for (int k = 0; k < alternating.capacity(); k++) {
      assertThat(alternating.kind(k)).isIn(two).isEqualTo(alternating.kind(k % 2));
    }
  }

  @Test
  void refusesADurationShorterThanOnePeriod() {
    assertThatThrownBy(() -> new SoakSchedule(ALL, 1, Duration.ofMinutes(1), TWO_MINUTES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--duration");
    assertThatThrownBy(() -> new SoakSchedule(ALL, 1, THIRTY_MINUTES, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
