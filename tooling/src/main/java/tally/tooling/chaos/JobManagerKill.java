package tally.tooling.chaos;

import java.time.Duration;
import java.util.Optional;
import tally.tooling.cluster.Deadline;
import tally.tooling.cluster.LocalCluster;

/**
 * kill -9 of the JobManager, restarted after the restart delay. With ZooKeeper HA the restarted JM
 * becomes leader once the dead one's session expired, recovers the job from its last checkpoint and
 * redeploys it on the TaskManagers, which follow the new leader.
 */
final class JobManagerKill implements Fault {
  private static final String NAME = "jobmanager";

  private final ChaosCluster cluster;
  private final String jobId;
  private final Duration restartDelay;
  private final String target;
  private volatile boolean restarted;

  JobManagerKill(ChaosCluster cluster, String jobId, Duration restartDelay) {
    this.cluster = cluster;
    this.jobId = jobId;
    this.restartDelay = restartDelay;
    this.target = cluster.describe(NAME);
  }

  @Override
  public FaultKind kind() {
    return FaultKind.JM_KILL;
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
    cluster.kill(NAME);
  }

  @Override
  public void repair() {
    Deadline.sleep(restartDelay);
    cluster.restart(NAME);
    restarted = true;
  }

  /** The new leader answers and has recovered the job (there is no one left to notice before). */
  @Override
  public Optional<Long> detectedAtMillis(long injectedAtMillis) {
    return restarted && cluster.jobKnown(jobId) ? Optional.of(System.currentTimeMillis()) : Optional.empty();
  }

  @Override
  public boolean repaired() {
    return restarted && cluster.processHealthy(NAME)
        && LocalCluster.TASKMANAGERS.stream().allMatch(cluster::processHealthy);
  }
}
