package tally.tooling.chaos;

import java.time.Duration;
import java.util.Optional;
import tally.tooling.cluster.Deadline;

/** kill -9 of a TaskManager; restarted after the restart delay (a supervisor would). */
final class TaskManagerKill implements Fault {
  private final ChaosCluster cluster;
  private final String jobId;
  private final String name;
  private final Duration restartDelay;
  private final String target;
  private final TaskManagerRegistration registration;

  TaskManagerKill(ChaosCluster cluster, String jobId, String name, Duration restartDelay) {
    this.cluster = cluster;
    this.jobId = jobId;
    this.name = name;
    this.restartDelay = restartDelay;
    this.target = cluster.describe(name);
    this.registration = new TaskManagerRegistration(cluster, name);
  }

  @Override
  public FaultKind kind() {
    return FaultKind.TM_KILL;
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public String note() {
    return "";
  }

  @Override
  public void inject() {
    cluster.kill(name);
  }

  @Override
  public void repair() {
    Deadline.sleep(restartDelay);
    cluster.restart(name);
  }

  /** Flink records the failure (lost connection or heartbeat timeout) in the job's exception history. */
  @Override
  public Optional<Long> detectedAtMillis(long injectedAtMillis) {
    return cluster.firstFailureSince(jobId, injectedAtMillis);
  }

  @Override
  public boolean repaired() {
    return registration.registeredAnew() && cluster.processHealthy(name);
  }
}
