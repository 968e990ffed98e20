package tally.chaos;

import java.time.Duration;
import java.util.Optional;

/**
 * kill -9 of one Kafka broker (each is also a KRaft controller), restarted after the restart delay.
 * The controller quorum fences it after the broker session timeout and moves its partition leaders;
 * producers (the generator, the job's transactional sink) and consumers follow.
 */
final class BrokerKill extends ProcessKill {
  private final int nodeId;
  private final String note;

  BrokerKill(ChaosTarget cluster, String name, Duration restartDelay) {
    super(cluster, name, restartDelay);
    this.nodeId = cluster.process(name).brokerId();
    this.note = cluster.activeController() == nodeId ? "the active KRaft controller" : "";
  }

  @Override
  public FaultKind kind() {
    return FaultKind.BROKER_KILL;
  }

  @Override
  public String note() {
    return note;
  }

  /** The quorum fenced the broker: the cluster's metadata no longer lists it. */
  @Override
  public Optional<Long> detectedAtMillis(long injectedAtMillis) {
    return cluster.fencedNow(nodeId);
  }

  @Override
  public boolean repaired() {
    return cluster.processHealthy(name);
  }
}
