package tally.tooling.chaos.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import tally.connectors.kafka.KafkaInputRecord;

/**
 * Passes records through unchanged, and throws {@link InjectedFailureException} once per trigger:
 * when a file named {@value #TRIGGER_FILE} appears in the trigger directory, the first subtask to
 * rename it (an atomic rename: exactly one wins) throws while processing a record. Flink then fails
 * the job over and restores it from the last completed checkpoint, as for any task failure. The
 * trigger is consumed, so the restarted job does not fail again. It never looks at or changes
 * records: the ledger's rules see exactly the input.
 */
public final class TriggeredFailure extends RichMapFunction<KafkaInputRecord, KafkaInputRecord> {
  private static final long serialVersionUID = 1L;

  public static final String TRIGGER_FILE = "job-exception.trigger";
  /** Checking the file system at most this often keeps the cost per record negligible. */
  private static final long CHECK_INTERVAL_NANOS = 200_000_000L;

  private final String triggerDir;
  private transient long nextCheckNanos;
  private transient String subtask;

  public TriggeredFailure(String triggerDir) {
    this.triggerDir = triggerDir;
  }

  @Override
  public void open(OpenContext openContext) {
    var task = getRuntimeContext().getTaskInfo();
    subtask = task.getIndexOfThisSubtask() + "-attempt-" + task.getAttemptNumber();
    nextCheckNanos = System.nanoTime();
  }

  @Override
  public KafkaInputRecord map(KafkaInputRecord record) {
    long now = System.nanoTime();
    if (now - nextCheckNanos >= 0) {
      nextCheckNanos = now + CHECK_INTERVAL_NANOS;
      String claimed = claim(Path.of(triggerDir), subtask);
      if (claimed != null) {
        throw new InjectedFailureException("chaos: exception injected into subtask " + subtask
            + " while processing " + record.topic + "-" + record.partition + "@" + record.offset
            + " (trigger " + claimed + ")");
      }
    }
    return record;
  }

  /** Renames the trigger to a name of {@code claimer}; returns the new name, or null if there was none or another won. */
  static String claim(Path dir, String claimer) {
    Path trigger = dir.resolve(TRIGGER_FILE);
    if (!Files.exists(trigger)) {
      return null;
    }
    Path claimed = dir.resolve("job-exception.claimed-by-" + claimer + "-" + System.currentTimeMillis());
    try {
      Files.move(trigger, claimed, StandardCopyOption.ATOMIC_MOVE);
      return claimed.getFileName().toString();
    } catch (NoSuchFileException anotherSubtaskWon) {
      return null;
    } catch (AtomicMoveNotSupportedException e) {
      throw new IllegalStateException("the trigger directory " + dir + " does not support atomic renames", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot claim " + trigger, e);
    }
  }
}
