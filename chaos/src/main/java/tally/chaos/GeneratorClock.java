package tally.chaos;

import java.time.Instant;
import tally.testkit.generate.TransactionGenerator;

/**
 * Maps a generated transaction's event time back to its position in the generator's stream: the
 * generator stamps record n with {@link TransactionGenerator#EPOCH} + n x 100 ms +/- 40 ms of
 * jitter, so rounding recovers n exactly (a test checks this against the generator). A balance
 * update carries its transaction's event time, so the output tells which input it answers.
 */
final class GeneratorClock {
  static final long STEP_MILLIS = 100;

  private GeneratorClock() {}

  static long indexOf(long eventTimeMillis) {
    return Math.round(
        (eventTimeMillis - TransactionGenerator.EPOCH.toEpochMilli()) / (double) STEP_MILLIS);
  }

  static long indexOf(Instant eventTime) {
    return indexOf(eventTime.toEpochMilli());
  }
}
