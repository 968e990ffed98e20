package tally.testkit.generate;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Spaces events evenly at a fixed rate on a monotonic clock: slot n is due at start + n / rate.
 * When the caller falls more than {@link #MAX_LAG_NANOS} behind (a GC pause, a slow broker), the
 * schedule restarts from now instead of bursting to catch up.
 */
final class Pacer {

  static final long MAX_LAG_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** Longest single park, so that a stop request is noticed quickly even at very low rates. */
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final double intervalNanos;
  private final LongSupplier clock;
  private final LongConsumer parker;
  private long startNanos;
  private long slotsSinceStart;
  private boolean started;

  /**
   * @param ratePerSecond {@code <= 0} means no pacing
   */
  Pacer(double ratePerSecond) {
    this(ratePerSecond, System::nanoTime, LockSupport::parkNanos);
  }

  Pacer(double ratePerSecond, LongSupplier clock, LongConsumer parker) {
    this.intervalNanos = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
    this.clock = clock;
    this.parker = parker;
  }

  /**
   * Waits until the next slot is due and claims it.
   *
   * @return false if {@code stopRequested} became true while waiting (the slot is not claimed)
   */
  boolean awaitNextSlot(BooleanSupplier stopRequested) {
    if (intervalNanos == 0) {
      return !stopRequested.getAsBoolean();
    }
    long now = clock.getAsLong();
    if (!started) {
      restartAt(now);
      started = true;
    }
    long due = startNanos + (long) (slotsSinceStart * intervalNanos);
    if (now - due > MAX_LAG_NANOS) {
      restartAt(now);
      due = now;
    }
    while (now < due) {
      if (stopRequested.getAsBoolean()) {
        return false;
      }
      parker.accept(Math.min(due - now, MAX_PARK_NANOS));
      now = clock.getAsLong();
    }
    slotsSinceStart++;
    return !stopRequested.getAsBoolean();
  }

  private void restartAt(long now) {
    startNanos = now;
    slotsSinceStart = 0;
  }
}
