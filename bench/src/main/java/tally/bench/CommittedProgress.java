package tally.bench;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.testkit.audit.ConsumerGroupLag;

/**
 * Samples of a consumer group's committed progress through a backlog, for a job in another process
 * (no in-process counters): the committed offsets advance at each checkpoint. The steady rate is
 * taken between the first samples at 10 % and at 90 % of the backlog, as {@link ProgressSamples}
 * does with counters; the wall time is from the process's start until everything is committed.
 */
final class CommittedProgress {
  private static final Logger LOG = LoggerFactory.getLogger(CommittedProgress.class);
  private static final long LOG_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

  record Sample(long nanos, long committed) {}

  private final long startNanos;
  private final long total;
  private final List<Sample> samples = new ArrayList<>();
  private Runnable onFirstCommit = () -> {};
  private boolean firstCommitSeen;

  CommittedProgress(long startNanos, long total) {
    this.startNanos = startNanos;
    this.total = total;
  }

  void add(long nanos, long committed) {
    samples.add(new Sample(nanos, committed));
  }

  /**
   * Runs {@code action} once, at the first sample with anything committed (the first checkpoint).
   */
  CommittedProgress onFirstCommit(Runnable action) {
    this.onFirstCommit = action;
    return this;
  }

  long total() {
    return total;
  }

  boolean complete() {
    return !samples.isEmpty() && samples.get(samples.size() - 1).committed() >= total;
  }

  /** From the start to the first sample with everything committed; NaN before that. */
  double wallSeconds() {
    Sample end = firstReaching(total);
    return end == null ? Double.NaN : (end.nanos() - startNanos) / 1e9;
  }

  /**
   * Records/s between 10 % and 90 % of the backlog; NaN when one commit took it across the whole
   * window (a backlog too small for the checkpoint interval).
   */
  double steadyRecordsPerSecond() {
    Sample from = firstReaching((long) Math.ceil(total * ProgressSamples.WINDOW_START));
    Sample to = firstReaching((long) Math.ceil(total * ProgressSamples.WINDOW_END));
    if (from == null || to == null || to.nanos() <= from.nanos()) {
      return Double.NaN;
    }
    return (to.committed() - from.committed()) / ((to.nanos() - from.nanos()) / 1e9);
  }

  /**
   * Samples {@code group}'s committed progress on {@code topic} every 100 ms until the whole
   * backlog is committed, logging every 10 s; fails when {@code gone} names a reason (the process
   * died) or after {@code limit}.
   */
  void follow(
      ConsumerGroupLag lag,
      String group,
      String topic,
      String name,
      java.util.function.Supplier<String> gone,
      java.time.Duration limit)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    long lastLog = System.nanoTime();
    while (true) {
      long committed = Math.max(0, total - lag.unread(group, topic));
      add(System.nanoTime(), committed);
      if (committed > 0 && !firstCommitSeen) {
        firstCommitSeen = true;
        onFirstCommit.run();
      }
      if (committed >= total) {
        return;
      }
      String reason = gone.get();
      if (reason != null) {
        throw new IllegalStateException(
            name + ": " + reason + " after " + committed + " of " + total + " records committed");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name
                + " did not commit its input within "
                + limit.toMinutes()
                + " min ("
                + committed
                + " of "
                + total
                + " records)");
      }
      if (System.nanoTime() - lastLog > LOG_NANOS) {
        lastLog = System.nanoTime();
        LOG.info(
            "Bench {}: {} of {} records committed",
            name,
            Format.integer(committed),
            Format.integer(total));
      }
      Thread.sleep(100);
    }
  }

  private Sample firstReaching(long records) {
    for (Sample sample : samples) {
      if (sample.committed() >= records) {
        return sample;
      }
    }
    return null;
  }
}
