package tally.connectors.kafka;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Notices that this JVM stood still: stopped by a signal ({@code kill -STOP}, a debugger), frozen
 * by the host, or starved of every core. A daemon thread wakes every {@link #TICK} and records each
 * wake-up that came more than {@link #PAUSE} late.
 *
 * <p>Why the sink needs it: a TaskManager that stood still for longer than Flink's heartbeat
 * timeout was declared dead, and its tasks were started again elsewhere under the same
 * transactional ids. When it runs again, its old tasks go on for a moment before they learn that:
 * the exactly-once writer's next checkpoint would begin a transaction with {@code
 * initTransactions}, which fences the newer attempt's open transaction, one a completed checkpoint
 * may already count on (a soak run lost 349 records that way, docs/cluster.md). Asked before that,
 * {@link #pausedSince} says whether the JVM stood still since the writer last looked.
 *
 * <p>The watchdog cannot tell a stop from a stall of the whole machine; the writer then fails its
 * task (one failover), which a stall longer than {@link #PAUSE} comes close to causing anyway.
 */
final class PauseWatchdog {
  /** How often the watchdog wakes. */
  static final Duration TICK = Duration.ofMillis(100);

  /**
   * A wake-up this late counts as a pause. Well below any heartbeat timeout a TaskManager could be
   * declared dead by (Flink's default 50 s, Tally's cluster 6 s, minus the 1 s interval): a shorter
   * pause cannot have made this TaskManager a zombie, and a longer one is never missed.
   */
  static final Duration PAUSE = Duration.ofSeconds(3);

  private final LongSupplier nanoClock;
  private volatile long lastTickNanos;
  private volatile long lastPauseEndNanos;
  private volatile long lastPauseNanos;
  private volatile Thread thread;

  /** A watchdog that wakes only when {@link #tick} is called (tests: on a clock of their own). */
  PauseWatchdog(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.lastTickNanos = nanoClock.getAsLong();
    this.lastPauseEndNanos = lastTickNanos - TimeUnit.DAYS.toNanos(1);
  }

  /**
   * A watchdog with a daemon thread of its own, until {@link #close}: one per sink writer, so that
   * no thread outlives the job and holds its class loader.
   */
  static PauseWatchdog start(String threadName) {
    PauseWatchdog watchdog = new PauseWatchdog(System::nanoTime);
    Thread thread =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  Thread.sleep(TICK.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
                watchdog.tick();
              }
            },
            threadName);
    thread.setDaemon(true);
    watchdog.thread = thread;
    thread.start();
    return watchdog;
  }

  /** Stops the watchdog's thread, if it has one. */
  void close() {
    Thread running = thread;
    if (running != null) {
      running.interrupt();
    }
  }

  /** Whether the watchdog's own thread runs. */
  boolean running() {
    Thread running = thread;
    return running != null && running.isAlive();
  }

  /** One wake-up of the watchdog's thread (tests call it with their own clock). */
  void tick() {
    long now = nanoClock.getAsLong();
    long since = now - lastTickNanos;
    if (since > PAUSE.toNanos()) {
      lastPauseNanos = since;
      lastPauseEndNanos = now;
    }
    lastTickNanos = now;
  }

  /** Now, on the watchdog's clock. */
  long now() {
    return nanoClock.getAsLong();
  }

  /**
   * The pause longer than {@link #PAUSE} that ended after {@code sinceNanos}, or the one going on
   * now (the watchdog has not woken for that long: a caller that runs first after a stop sees it
   * before the watchdog does); empty when there was none.
   */
  Optional<Duration> pausedSince(long sinceNanos) {
    long now = nanoClock.getAsLong();
    long silent = now - lastTickNanos;
    if (silent > PAUSE.toNanos()) {
      return Optional.of(Duration.ofNanos(silent));
    }
    if (lastPauseEndNanos - sinceNanos > 0) {
      return Optional.of(Duration.ofNanos(lastPauseNanos));
    }
    return Optional.empty();
  }
}
