package tally.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When a soak run ({@code --duration}) injects its faults, and which: fault {@code k} (0-based) is
 * due {@code k * period} after the measurement started, the kinds in {@link FaultSchedule}'s order
 * for as many faults as fit (balanced, drawn with the seed, never the same kind twice in a row when
 * that can be avoided). A fault never goes when less than one period would be left before the end
 * of the duration: the last one gets a full period to recover in. Pure: the run tells it the time.
 */
final class SoakSchedule {
  private final Duration duration;
  private final Duration period;
  private final List<FaultKind> kinds;

  SoakSchedule(List<FaultKind> choices, long seed, Duration duration, Duration period) {
    if (period.isNegative() || period.isZero() || duration.compareTo(period) < 0) {
      throw new IllegalArgumentException(
          "--fault-every must be positive and --duration at least one --fault-every");
    }
    this.duration = duration;
    this.period = period;
    // Due at 0, p, ..., (n-1)p, each leaving a full period: n = duration / period.
    this.kinds = FaultSchedule.of(choices, Math.toIntExact(duration.dividedBy(period)), seed);
  }

  Duration duration() {
    return duration;
  }

  Duration period() {
    return period;
  }

  /** The most faults the duration has room for (fewer go when recoveries overrun). */
  int capacity() {
    return kinds.size();
  }

  FaultKind kind(int k) {
    return kinds.get(k);
  }

  /** Since the measurement started. */
  Duration dueAt(int k) {
    return period.multipliedBy(k);
  }

  /**
   * When fault {@code k} goes, since the measurement started, given that the cluster was steady
   * again at {@code steadyAt}: at its due time, or at {@code steadyAt} if the previous recovery
   * overran it. Empty when that would leave less than one period before the end of the duration.
   */
  Optional<Duration> injectionTime(int k, Duration steadyAt) {
    if (k >= capacity()) {
      return Optional.empty();
    }
    Duration due = dueAt(k);
    Duration at = steadyAt.compareTo(due) > 0 ? steadyAt : due;
    return at.plus(period).compareTo(duration) <= 0 ? Optional.of(at) : Optional.empty();
  }
}
