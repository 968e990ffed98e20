package tally.bench;

import java.util.Arrays;

/** Percentiles of a sample of longs (nearest-rank), e.g. latencies in ms. */
record Distribution(long count, long p50, long p90, long p99, long max, long[] sorted) {

  static final Distribution EMPTY = new Distribution(0, -1, -1, -1, -1, new long[0]);

  static Distribution of(long[] values, int length) {
    if (length == 0) {
      return EMPTY;
    }
    long[] sorted = Arrays.copyOf(values, length);
    Arrays.sort(sorted);
    return new Distribution(
        length,
        rank(sorted, 0.50),
        rank(sorted, 0.90),
        rank(sorted, 0.99),
        sorted[length - 1],
        sorted);
  }

  static Distribution of(long... values) {
    return of(values, values.length);
  }

  /** The value at quantile {@code q} (0..1). */
  long quantile(double q) {
    return sorted.length == 0 ? -1 : rank(sorted, q);
  }

  private static long rank(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
