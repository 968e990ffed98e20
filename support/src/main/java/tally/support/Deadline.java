package tally.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling with a deadline: the one way the tools wait for something. */
public final class Deadline {
  private static final Duration POLL = Duration.ofMillis(250);

  private final long deadlineNanos;

  private Deadline(Duration timeout) {
    this.deadlineNanos = System.nanoTime() + timeout.toNanos();
  }

  public static Deadline in(Duration timeout) {
    return new Deadline(timeout);
  }

  public boolean expired() {
    return System.nanoTime() - deadlineNanos >= 0;
  }

  /**
   * Polls {@code condition} until it holds (true) or the deadline passes (false). {@code abort} is
   * checked on every round and ends the wait with its message (e.g. "the process died").
   */
  public boolean await(BooleanSupplier condition, Supplier<String> abort) {
    return await(condition, abort, POLL);
  }

  /**
   * As {@link #await(BooleanSupplier, Supplier)}, checking every {@code poll} (for expensive
   * checks).
   */
  public boolean await(BooleanSupplier condition, Supplier<String> abort, Duration poll) {
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      String reason = abort.get();
      if (reason != null) {
        throw new IllegalStateException(reason);
      }
      if (expired()) {
        return false;
      }
      sleep(poll);
    }
  }

  public boolean await(BooleanSupplier condition) {
    return await(condition, () -> null);
  }

  public static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
