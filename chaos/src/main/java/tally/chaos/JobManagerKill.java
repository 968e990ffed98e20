package tally.chaos;

import java.time.Duration;
import java.util.Optional;
import tally.cluster.ProcessCluster;

/**
 * kill -9 of the leading JobManager, restarted after the restart delay. With ZooKeeper HA the
 * standby becomes leader once the dead one's session expired, recovers the job from its last
 * checkpoint and redeploys it on the TaskManagers, which follow the new leader; the restarted one
 * becomes the next standby.
 */
final class JobManagerKill extends ProcessKill {
  private final String jobId;

  JobManagerKill(ChaosTarget cluster, String jobId, Duration restartDelay) {
    super(
        cluster,
        cluster.leadingJobManager().orElse(ProcessCluster.JOBMANAGERS.get(0)),
        restartDelay);
    this.jobId = jobId;
  }

  @Override
  public FaultKind kind() {
    return FaultKind.JM_KILL;
  }

  /** Another JobManager leads and has recovered the job (there is no one left to notice before). */
  @Override
  public Optional<Long> detectedAtMillis(long injectedAtMillis) {
    return cluster.leadingJobManager().filter(leader -> !leader.equals(name)).isPresent()
            && cluster.jobKnown(jobId)
        ? Optional.of(System.currentTimeMillis())
        : Optional.empty();
  }

  @Override
  public boolean repaired() {
    return restarted()
        && ProcessCluster.JOBMANAGERS.stream().allMatch(cluster::processHealthy)
        && ProcessCluster.TASKMANAGERS.stream().allMatch(cluster::processHealthy);
  }
}
