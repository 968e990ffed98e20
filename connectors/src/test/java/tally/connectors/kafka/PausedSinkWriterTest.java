package tally.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink;
import org.junit.jupiter.api.Test;

/**
 * The writer of {@link ExactlyOnceKafkaSink} around a writer that records which snapshots it was
 * asked for (each would begin a transaction with {@code initTransactions}), on a watchdog whose
 * clock the test moves: after the JVM stood still it begins none and fails its task.
 */
class PausedSinkWriterTest {
  private final AtomicLong clock = new AtomicLong(5_000_000_000L);
  private final PauseWatchdog watchdog = new PauseWatchdog(clock::get);
  private final List<Long> transactionsBegun = new ArrayList<>();
  private final ExactlyOnceKafkaSink.FenceTolerantWriter<String> writer =
      new ExactlyOnceKafkaSink.FenceTolerantWriter<>(new RecordingWriter(), 1, 3, watchdog);

  private void runFor(Duration total) {
    for (long t = 0; t < total.toMillis(); t += PauseWatchdog.TICK.toMillis()) {
      clock.addAndGet(PauseWatchdog.TICK.toNanos());
      watchdog.tick();
    }
  }

  @Test
  void aRunningWriterBeginsATransactionAtEveryCheckpoint() throws Exception {
    for (long checkpoint = 1; checkpoint <= 5; checkpoint++) {
      runFor(Duration.ofSeconds(1));
      writer.snapshotState(checkpoint);
    }
    assertThat(transactionsBegun).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void afterAStopTheWriterBeginsNoTransactionAndFailsItsTask() throws Exception {
    runFor(Duration.ofSeconds(1));
    writer.snapshotState(41);
    clock.addAndGet(Duration.ofSeconds(15).toNanos()); // kill -STOP for 15 s, then kill -CONT

    Throwable failure = catchThrowable(() -> writer.snapshotState(42));

    assertThat(failure)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("subtask 1 (attempt 3)")
        .hasMessageContaining("after checkpoint 42")
        .hasMessageContaining("stood still for 15.0 s");
    assertThat(transactionsBegun).containsExactly(41L);
  }

  @Test
  void aStopTheWatchdogSawFirstStillStopsTheNextTransaction() throws Exception {
    writer.snapshotState(7);
    clock.addAndGet(Duration.ofSeconds(8).toNanos());
    runFor(Duration.ofSeconds(2)); // the watchdog woke first and recorded it

    assertThat(catchThrowable(() -> writer.snapshotState(8))).isInstanceOf(IOException.class);
    assertThat(transactionsBegun).containsExactly(7L);
  }

  /** The connector's writer as far as the snapshot goes: each begins the next transaction. */
  private final class RecordingWriter
      implements TwoPhaseCommittingStatefulSink.PrecommittingStatefulSinkWriter<
          String, KafkaWriterState, KafkaCommittable> {
    @Override
    public void write(String element, Context context) {}

    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public Collection<KafkaCommittable> prepareCommit() {
      return List.of();
    }

    @Override
    public List<KafkaWriterState> snapshotState(long checkpointId) {
      transactionsBegun.add(checkpointId);
      return List.of();
    }

    @Override
    public void close() {}
  }
}
