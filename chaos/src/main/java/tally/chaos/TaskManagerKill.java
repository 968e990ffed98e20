package tally.chaos;

import java.time.Duration;
import java.util.Optional;

/** kill -9 of a TaskManager; restarted after the restart delay (a supervisor would). */
final class TaskManagerKill extends ProcessKill {
  private final String jobId;
  private final TaskManagerRegistration registration;

  TaskManagerKill(ChaosTarget cluster, String jobId, String name, Duration restartDelay) {
    super(cluster, name, restartDelay);
    this.jobId = jobId;
    this.registration = new TaskManagerRegistration(cluster, name);
  }

  @Override
  public FaultKind kind() {
    return FaultKind.TM_KILL;
  }

  /**
   * Flink records the failure (lost connection or heartbeat timeout) in the job's exception
   * history.
   */
  @Override
  public Optional<Long> detectedAtMillis(long injectedAtMillis) {
    return cluster.firstFailureSince(jobId, injectedAtMillis);
  }

  @Override
  public boolean repaired() {
    return registration.registeredAnew() && cluster.processHealthy(name);
  }
}
