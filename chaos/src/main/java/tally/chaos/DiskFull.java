package tally.chaos;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.support.Deadline;

/**
 * One broker's disk filled to the last block. Kafka cannot append and takes the log dir offline;
 * with its only log dir (which also holds the KRaft metadata log) gone, the broker halts. The
 * others take over its leaders; the job stalls or fails over. Its space is given back after the
 * outage (or as soon as the broker has stopped), and a stopped broker is started again as its
 * supervisor would, after the restart delay.
 */
final class DiskFull implements Fault {
  private static final Logger LOG = LoggerFactory.getLogger(DiskFull.class);

  private final ChaosTarget cluster;
  private final int nodeId;
  private final String name;
  private final String target;
  private final Duration outage;
  private final Duration restartDelay;
  private volatile long filledBytes;
  private volatile long exitedAtMillis;
  private volatile boolean freed;

  DiskFull(ChaosTarget cluster, int nodeId, Duration outage, Duration restartDelay) {
    this.cluster = cluster;
    this.nodeId = nodeId;
    this.name = "kafka-" + nodeId;
    this.target = cluster.describe(name);
    this.outage = outage;
    this.restartDelay = restartDelay;
  }

  @Override
  public FaultKind kind() {
    return FaultKind.DISK_FULL;
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public String note() {
    if (filledBytes == 0) {
      return "filled to the last block, for at most " + outage.toSeconds() + " s";
    }
    return (filledBytes >> 20)
        + " MiB filled"
        + (exitedAtMillis > 0
            ? "; the broker stopped on the full disk and was restarted once it had space"
            : freed ? "; the broker kept running" : "");
  }

  @Override
  public void inject() {
    filledBytes = cluster.disks().fill(nodeId);
  }

  @Override
  public Set<String> heldProcesses() {
    return Set.of(name);
  }

  @Override
  public void repair() {
    try {
      Deadline.in(outage).await(() -> !cluster.isRunning(name));
    } finally {
      cluster.disks().free(nodeId);
      freed = true;
    }
    if (!cluster.isRunning(name)) {
      exitedAtMillis = System.currentTimeMillis();
      LOG.info(
          "Chaos: {} stopped on its full disk; restarting it in {} s",
          name,
          restartDelay.toSeconds());
      Deadline.sleep(restartDelay);
      cluster.restart(name);
    }
  }

  /** The broker stopped, or the majority fenced it. */
  @Override
  public Optional<Long> detectedAtMillis(long injectedAtMillis) {
    if (!cluster.isRunning(name)) {
      return Optional.of(System.currentTimeMillis());
    }
    return cluster.fencedNow(nodeId);
  }

  @Override
  public boolean repaired() {
    return freed && cluster.processHealthy(name);
  }
}
