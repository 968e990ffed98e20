package tally.cluster.status;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What an operator looks at first, for one job, as read from the Flink REST API. Numbers that the
 * cluster does not report are -1 (rates, lags) or empty.
 *
 * @param stateSinceMillis when the job entered its current state (after the last restart, for a
 *     RUNNING job)
 * @param lastCheckpointAgeMillis how long ago the newest completed checkpoint was acknowledged, -1
 *     if none
 * @param recordsInPerSecond what the sources emit, summed over subtasks (Flink's 1-minute rate)
 * @param pendingRecords source lag: records in Kafka not read yet (the connector's {@code
 *     pendingRecords}), summed over subtasks
 * @param emitEventTimeLagMillis now minus the Kafka timestamp of the records the sources emit
 *     ({@code currentEmitEventTimeLag}), the largest over subtasks
 * @param counters Tally's business counters (group {@code tally}), summed over subtasks
 * @param stateKeys RocksDB's estimate of the keys per state (e.g. {@code account}), summed
 * @param stateBytes RocksDB's estimate of the live bytes per state, summed
 */
public record JobHealth(
    String jobId,
    String name,
    String state,
    long startMillis,
    long stateSinceMillis,
    long nowMillis,
    long restarts,
    List<String> notRunningTasks,
    long checkpointIntervalMillis,
    long checkpointsCompleted,
    long checkpointsFailed,
    long checkpointsInProgress,
    long lastCheckpointId,
    long lastCheckpointAgeMillis,
    long lastCheckpointDurationMillis,
    long lastCheckpointSizeBytes,
    long lastCheckpointFullSizeBytes,
    String lastFailedCheckpointMessage,
    double recordsInPerSecond,
    double recordsOutPerSecond,
    long pendingRecords,
    long emitEventTimeLagMillis,
    double maxBackPressuredPercent,
    double maxBusyPercent,
    Map<String, Long> counters,
    Map<String, Long> stateKeys,
    Map<String, Long> stateBytes) {

  /** Problems that make this job unhealthy; empty when it is healthy. */
  @JsonProperty("problems")
  public List<String> problems() {
    List<String> problems = new java.util.ArrayList<>();
    if (!"RUNNING".equals(state)) {
      problems.add("job is " + state);
      return problems;
    }
    if (!notRunningTasks.isEmpty()) {
      problems.add("tasks not running: " + String.join(", ", notRunningTasks));
    }
    if (checkpointIntervalMillis > 0) {
      long allowed = staleCheckpointMillis();
      long runningFor = nowMillis - stateSinceMillis;
      if (lastCheckpointAgeMillis < 0 && runningFor > allowed) {
        problems.add("no completed checkpoint in " + Durations.human(runningFor) + " of running");
      } else if (lastCheckpointAgeMillis > allowed) {
        problems.add(
            "last completed checkpoint "
                + Durations.human(lastCheckpointAgeMillis)
                + " ago (interval "
                + Durations.human(checkpointIntervalMillis)
                + "): exactly-once output is not being committed");
      }
    }
    return problems;
  }

  /** Checkpoints are overdue after three intervals, and never within the first 30 s. */
  long staleCheckpointMillis() {
    return Math.max(3 * checkpointIntervalMillis, 30_000);
  }

  @JsonProperty("healthy")
  public boolean healthy() {
    return problems().isEmpty();
  }

  /** Live state bytes per key of the {@code account} state (one key per account), -1 if unknown. */
  @JsonProperty("stateBytesPerAccount")
  public long stateBytesPerAccount() {
    long accounts = stateKeys.getOrDefault("account", 0L);
    long bytes = stateBytes.values().stream().mapToLong(Long::longValue).sum();
    return accounts > 0 && bytes > 0 ? bytes / accounts : -1;
  }
}
