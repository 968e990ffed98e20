package tally.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One broker cut off from the other two (its clients still reach it): it loses the KRaft quorum,
 * the majority fences it and moves its partition leaders and transaction coordinators, and the
 * clients that still talk to it are told to go elsewhere. Healed after the outage, it catches up
 * and rejoins the ISRs.
 */
final class BrokerPartition extends NetworkOutage {
  private final String name;
  private final int nodeId;
  private final List<String> peers;
  private final String target;
  private final String role;

  BrokerPartition(ChaosTarget cluster, int nodeId, String role, Duration outage) {
    super(cluster, outage);
    this.nodeId = nodeId;
    this.name = "kafka-" + nodeId;
    this.peers =
        cluster.state().processes(tally.cluster.ProcessRole.KAFKA).stream()
            .map(p -> p.name())
            .filter(other -> !other.equals(name))
            .toList();
    this.target = cluster.describe(name);
    this.role = role;
  }

  @Override
  public FaultKind kind() {
    return FaultKind.PARTITION_BROKER;
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public String note() {
    return (role.isEmpty() ? "" : role + "; ")
        + "cut off from the other brokers for "
        + outage().toSeconds()
        + " s";
  }

  @Override
  public void inject() {
    cluster.cut(name, peers);
  }

  @Override
  protected void heal() {
    cluster.heal(name);
  }

  /** The majority fenced it: the metadata the others serve no longer lists it. */
  @Override
  public Optional<Long> detectedAtMillis(long injectedAtMillis) {
    return cluster.fencedNow(nodeId);
  }

  @Override
  protected boolean healthyAgain() {
    return cluster.processHealthy(name);
  }
}
