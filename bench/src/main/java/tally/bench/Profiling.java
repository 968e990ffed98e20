package tally.bench;

import java.util.Locale;

/**
 * What {@code bench --profile} records. JFR's profiling settings slow the warm in-JVM runs several
 * times over, so their figures then describe the profiler; async-profiler on the cold processes
 * costs a few per cent, so {@link #COLD} keeps every figure of the report usable.
 */
enum Profiling {
  /** No profiler. */
  NONE,
  /** async-profiler on the cold {@code run ledger} processes (JFR where it has no library). */
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
