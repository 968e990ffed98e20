package tally.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The watchdog on a clock the test moves: which wake-ups count as a pause, and since when. */
class PauseWatchdogTest {
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final PauseWatchdog watchdog = new PauseWatchdog(clock::get);

  private void advance(Duration by) {
    clock.addAndGet(by.toNanos());
  }

  /** The watchdog's thread waking every tick for {@code total}. */
  private void runFor(Duration total) {
    for (long t = 0; t < total.toMillis(); t += PauseWatchdog.TICK.toMillis()) {
      advance(PauseWatchdog.TICK);
      watchdog.tick();
    }
  }

  @Test
  void wakeUpsOnTimeAreNoPause() {
    long since = watchdog.now();
    runFor(Duration.ofSeconds(30));
    assertThat(watchdog.pausedSince(since)).isEmpty();
  }

  @Test
  void aLateWakeUpUnderThePauseIsNoPause() {
    long since = watchdog.now();
    advance(PauseWatchdog.PAUSE.minusMillis(200)); // a long GC pause or a busy core
    watchdog.tick();
    runFor(Duration.ofSeconds(1));
    assertThat(watchdog.pausedSince(since)).isEmpty();
  }

  @Test
  void aStopIsSeenByWhoeverRunsFirstAfterIt() {
    long since = watchdog.now();
    runFor(Duration.ofSeconds(1));
    advance(Duration.ofSeconds(15)); // kill -STOP ... kill -CONT

    // The writer's thread before the watchdog's: the watchdog has been silent for 15 s.
    assertThat(watchdog.pausedSince(since))
        .hasValueSatisfying(p -> assertThat(p).isEqualTo(Duration.ofSeconds(15)));
    // The watchdog's first: it recorded the late wake-up.
    watchdog.tick();
    runFor(Duration.ofSeconds(1));
    assertThat(watchdog.pausedSince(since))
        .hasValueSatisfying(
            p -> assertThat(p).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(16)));
  }

  @Test
  void aPauseBeforeTheLastLookIsNotReportedAgain() {
    advance(Duration.ofSeconds(10));
    watchdog.tick();
    runFor(Duration.ofSeconds(1));
    long lookedAfter = watchdog.now();
    runFor(Duration.ofSeconds(5));
    assertThat(watchdog.pausedSince(lookedAfter)).isEmpty();
  }

  @Test
  void aStartedWatchdogWakesOnItsOwnThreadUntilClosed() {
    PauseWatchdog started = PauseWatchdog.start("tally-pause-watchdog-test");
    try {
      long since = started.now();
      // Silent for longer than PAUSE would read as a pause: it keeps waking, so it never does.
      await()
          .during(PauseWatchdog.PAUSE.plusMillis(500))
          .atMost(PauseWatchdog.PAUSE.plusSeconds(5))
          .until(() -> started.pausedSince(since).isEmpty());
      assertThat(started.running()).isTrue();
    } finally {
      started.close();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !started.running());
  }
}
