package tally.bench;

import java.util.Locale;

/**
 * What {@code bench --profile} records. JFR's profiling settings slowed the warm in-JVM runs about
 * threefold, so their figures then describe the profiler. async-profiler slowed its cold process by
 * about half (68 against 46 µs per record), which is why {@link #COLD} profiles one extra process
 * and leaves every other row of the report unprofiled.
 */
enum Profiling {
  /** No profiler. */
  NONE,
  /** One extra cold exactly-once process with async-profiler (JFR where it has no library). */
  COLD,
  /** As {@link #COLD}, plus JFR on the warm exactly-once and at-least-once runs. */
  ALL;

  boolean cold() {
    return this != NONE;
  }

  boolean warm() {
    return this == ALL;
  }

  static Profiling parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--profile: '" + text + "' is none of none, cold, all");
    }
  }
}
