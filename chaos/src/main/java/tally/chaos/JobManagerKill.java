package tally.chaos;

import java.time.Duration;
import java.util.Optional;
import tally.cluster.ProcessCluster;

/**
 * kill -9 of the JobManager, restarted after the restart delay. With ZooKeeper HA the restarted JM
 * becomes leader once the dead one's session expired, recovers the job from its last checkpoint and
 * redeploys it on the TaskManagers, which follow the new leader.
 */
final class JobManagerKill extends ProcessKill {
  private static final String NAME = "jobmanager";

  private final String jobId;

  JobManagerKill(ChaosTarget cluster, String jobId, Duration restartDelay) {
    super(cluster, NAME, restartDelay);
    this.jobId = jobId;
  }

  @Override
  public FaultKind kind() {
    return FaultKind.JM_KILL;
  }

  /** The new leader answers and has recovered the job (there is no one left to notice before). */
  @Override
  public Optional<Long> detectedAtMillis(long injectedAtMillis) {
    return restarted() && cluster.jobKnown(jobId)
        ? Optional.of(System.currentTimeMillis())
        : Optional.empty();
  }

  @Override
  public boolean repaired() {
    return restarted()
        && cluster.processHealthy(NAME)
        && ProcessCluster.TASKMANAGERS.stream().allMatch(cluster::processHealthy);
  }
}
