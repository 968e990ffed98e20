package tally.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The job's side cut off from a majority of the brokers: every TaskManager loses two of the three
 * (the remaining one can lead partitions but cannot commit with min.insync.replicas 2 behind it).
 * The job stalls or fails over until the links heal; nothing committed may be lost.
 */
final class KafkaMajorityPartition extends NetworkOutage {
  private final String jobId;
  private final List<String> taskManagers;
  private final List<String> brokers;

  KafkaMajorityPartition(ChaosTarget cluster, String jobId, List<String> brokers, Duration outage) {
    super(cluster, outage);
    this.jobId = jobId;
    this.brokers = List.copyOf(brokers);
    this.taskManagers =
        cluster.state().processes(tally.cluster.ProcessRole.TASKMANAGER).stream()
            .map(p -> p.name())
            .toList();
  }

  @Override
  public FaultKind kind() {
    return FaultKind.PARTITION_KAFKA;
  }

  @Override
  public String target() {
    return String.join(", ", taskManagers) + " from " + String.join(", ", brokers);
  }

  @Override
  public String note() {
    return "the TaskManagers cut off from two of the three brokers for "
        + outage().toSeconds()
        + " s";
  }

  @Override
  public void inject() {
    for (String tm : taskManagers) {
      cluster.cut(tm, brokers);
    }
  }

  @Override
  protected void heal() {
    for (String tm : taskManagers) {
      cluster.heal(tm);
    }
  }

  @Override
  public Optional<Long> detectedAtMillis(long injectedAtMillis) {
    return cluster.firstFailureSince(jobId, injectedAtMillis);
  }

  @Override
  protected boolean healthyAgain() {
    return cluster.jobRunning(jobId);
  }
}
