package tally.tooling.it;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Throws mid-stream, the way a crashing task would: only after a checkpoint has completed and
 * more records have gone through since (so there is committed output before the failure and
 * uncommitted output at it), and at most {@code maxFailures} times per scenario. Flink's own
 * tests use the same idea (FailingMapper). The count lives in a static map because every restart
 * builds a new instance; the MiniCluster runs in this JVM.
 */
final class FailingAfterCheckpoint<T> extends RichMapFunction<T, T> implements CheckpointListener {
  private static final long serialVersionUID = 1L;
  private static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

  private final String scenario;
  private final int maxFailures;
  private final int recordsAfterCheckpoint;
  private transient boolean checkpointCompleted;
  private transient long seenSinceCheckpoint;

  FailingAfterCheckpoint(String scenario, int maxFailures, int recordsAfterCheckpoint) {
    this.scenario = scenario;
    this.maxFailures = maxFailures;
    this.recordsAfterCheckpoint = recordsAfterCheckpoint;
  }

  static int failures(String scenario) {
    return FAILURES.computeIfAbsent(scenario, s -> new AtomicInteger()).get();
  }

  @Override
  public void open(OpenContext context) {
    checkpointCompleted = false;
    seenSinceCheckpoint = 0;
  }

  @Override
  public T map(T value) {
    if (checkpointCompleted
        && ++seenSinceCheckpoint >= recordsAfterCheckpoint
        && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
      AtomicInteger failures = FAILURES.computeIfAbsent(scenario, s -> new AtomicInteger());
      if (failures.get() < maxFailures) {
        int n = failures.incrementAndGet();
        throw new IllegalStateException("Injected failure " + n + " of " + maxFailures + " in " + scenario);
      }
    }
    return value;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    checkpointCompleted = true;
    seenSinceCheckpoint = 0;
  }
}
