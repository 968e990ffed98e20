package tally.chaos;

import java.time.Duration;
import java.util.List;

/**
 * A TaskManager cut off by the network from the JobManager, the brokers and the other TaskManagers
 * (packets dropped without an answer, as a failed switch port does); it keeps running and its
 * connections hang until their timeouts. Flink notices through missed heartbeats.
 */
final class TaskManagerPartition extends TaskManagerOutage {
  private final List<String> peers;

  TaskManagerPartition(
      ChaosTarget cluster, String jobId, String name, Duration outage, Duration restartDelay) {
    super(cluster, jobId, name, outage, restartDelay);
    this.peers =
        cluster.state().processes().stream()
            .map(p -> p.name())
            .filter(other -> !other.equals(name))
            .toList();
  }

  @Override
  public FaultKind kind() {
    return FaultKind.PARTITION_TM;
  }

  @Override
  protected void begin() {
    cluster.cut(name, peers);
  }

  @Override
  protected void end() {
    cluster.heal(name);
  }

  @Override
  protected String what() {
    return "cut off from the JobManager, the brokers and the other TaskManager";
  }
}
