package tally.testkit.failure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * The one failure injector of Tally's test jobs, in the spirit of Flink's end-to-end tests' {@code
 * FailureMapper}: a pass-through operator compiled into a test job and switched on by how it is
 * built, which throws {@link InjectedFailureException} the way a crashing task would. Flink then
 * fails the job over and restores it from the last completed checkpoint. It never looks at or
 * changes records: the rules downstream see exactly the input.
 *
 * <ul>
 *   <li>{@link #afterCheckpoint}: for tests whose MiniCluster runs in this JVM. Throws only after a
 *       checkpoint has completed and more records have gone through since (so there is committed
 *       output before the failure and uncommitted output at it), at most {@code maxFailures} times
 *       per scenario. The count is static because every restart builds a new instance.
 *   <li>{@link #onTriggerFile}: for a job on a cluster of other processes ({@code bin/tally
 *       chaos}). When a file named {@value #TRIGGER_FILE} appears in the trigger directory, the
 *       first subtask to rename it (an atomic rename: exactly one wins) throws, once per trigger.
 * </ul>
 */
public final class FailureInjector<T> extends RichMapFunction<T, T> implements CheckpointListener {
  private static final long serialVersionUID = 1L;

  public static final String TRIGGER_FILE = "job-exception.trigger";

  /** Checking the file system at most this often keeps the cost per record negligible. */
  private static final long TRIGGER_CHECK_INTERVAL_NANOS = 200_000_000L;

  private static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

  private final String triggerDir;
  private final String scenario;
  private final int maxFailures;
  private final int recordsAfterCheckpoint;

  private transient String subtask;
  private transient long nextTriggerCheckNanos;
  private transient boolean checkpointCompleted;
  private transient long seenSinceCheckpoint;

  private FailureInjector(
      String triggerDir, String scenario, int maxFailures, int recordsAfterCheckpoint) {
    this.triggerDir = triggerDir;
    this.scenario = scenario;
    this.maxFailures = maxFailures;
    this.recordsAfterCheckpoint = recordsAfterCheckpoint;
  }

  /**
   * Fails subtask 0 up to {@code maxFailures} times, each {@code recordsAfterCheckpoint} records
   * after a completed checkpoint.
   */
  public static <T> FailureInjector<T> afterCheckpoint(
      String scenario, int maxFailures, int recordsAfterCheckpoint) {
    return new FailureInjector<>(null, scenario, maxFailures, recordsAfterCheckpoint);
  }

  /** Fails one subtask each time a {@value #TRIGGER_FILE} file appears in {@code triggerDir}. */
  public static <T> FailureInjector<T> onTriggerFile(String triggerDir) {
    return new FailureInjector<>(triggerDir, null, 0, 0);
  }

  /** How often an {@link #afterCheckpoint} injector of {@code scenario} has failed in this JVM. */
  public static int failures(String scenario) {
    return FAILURES.computeIfAbsent(scenario, s -> new AtomicInteger()).get();
  }

  @Override
  public void open(OpenContext openContext) {
    var task = getRuntimeContext().getTaskInfo();
    subtask = task.getIndexOfThisSubtask() + "-attempt-" + task.getAttemptNumber();
    nextTriggerCheckNanos = System.nanoTime();
    checkpointCompleted = false;
    seenSinceCheckpoint = 0;
  }

  @Override
  public T map(T record) {
    if (triggerDir != null) {
      failIfTriggered(record);
    } else {
      failIfDueAfterCheckpoint();
    }
    return record;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    checkpointCompleted = true;
    seenSinceCheckpoint = 0;
  }

  private void failIfDueAfterCheckpoint() {
    if (checkpointCompleted
        && ++seenSinceCheckpoint >= recordsAfterCheckpoint
        && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
      AtomicInteger failures = FAILURES.computeIfAbsent(scenario, s -> new AtomicInteger());
      if (failures.get() < maxFailures) {
        int n = failures.incrementAndGet();
        throw new InjectedFailureException(
            "Injected failure " + n + " of " + maxFailures + " in " + scenario);
      }
    }
  }

  private void failIfTriggered(T record) {
    long now = System.nanoTime();
    if (now - nextTriggerCheckNanos < 0) {
      return;
    }
    nextTriggerCheckNanos = now + TRIGGER_CHECK_INTERVAL_NANOS;
    String claimed = claim(Path.of(triggerDir), subtask);
    if (claimed != null) {
      throw new InjectedFailureException(
          "chaos: exception injected into subtask "
              + subtask
              + " while processing "
              + record
              + " (trigger "
              + claimed
              + ")");
    }
  }

  /**
   * Renames the trigger to a name of {@code claimer}; returns the new name, or null if there was
   * none or another subtask won.
   */
  static String claim(Path dir, String claimer) {
    Path trigger = dir.resolve(TRIGGER_FILE);
    if (!Files.exists(trigger)) {
      return null;
    }
    Path claimed =
        dir.resolve("job-exception.claimed-by-" + claimer + "-" + System.currentTimeMillis());
    try {
      Files.move(trigger, claimed, StandardCopyOption.ATOMIC_MOVE);
      return claimed.getFileName().toString();
    } catch (NoSuchFileException anotherSubtaskWon) {
      return null;
    } catch (AtomicMoveNotSupportedException e) {
      throw new IllegalStateException(
          "the trigger directory " + dir + " does not support atomic renames", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot claim " + trigger, e);
    }
  }
}
