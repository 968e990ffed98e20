package tally.cli;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C (SIGINT/SIGTERM) into a request the main thread sees, and holds the JVM's exit until
 * the main thread has finished its orderly stop (cancel jobs, audit, stop the broker).
 */
final class ShutdownSignal implements AutoCloseable {
  private static final Duration MAX_CLEANUP = Duration.ofMinutes(3);

  /** The signals installed and not yet closed, for {@link #requestAllForTests()}. */
  private static final Set<ShutdownSignal> INSTALLED = ConcurrentHashMap.newKeySet();

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  private ShutdownSignal() {
    hook =
        new Thread(
            () -> {
              requested.countDown();
              try {
                finished.await(MAX_CLEANUP.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "tally-shutdown");
  }

  static ShutdownSignal install() {
    ShutdownSignal signal = new ShutdownSignal();
    Runtime.getRuntime().addShutdownHook(signal.hook);
    INSTALLED.add(signal);
    return signal;
  }

  /** What Ctrl-C does, for a verb run in-process by a test: every installed signal is requested. */
  static void requestAllForTests() {
    INSTALLED.forEach(signal -> signal.requested.countDown());
  }

  /** Blocks until Ctrl-C. */
  void await() throws InterruptedException {
    requested.await();
  }

  /** Waits up to {@code timeout}; true when Ctrl-C came. */
  boolean await(Duration timeout) throws InterruptedException {
    return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean requested() {
    return requested.getCount() == 0;
  }

  @Override
  public void close() {
    INSTALLED.remove(this);
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running and now returns
    }
  }
}
