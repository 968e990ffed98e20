package tally.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.cluster.ClusterProcess;

/**
 * What systemd, Kubernetes or docker-compose's restart policy does for a real cluster: a process
 * that exited on its own is started again after the restart delay. A fault's own target is left to
 * the fault (a killed broker waits for its repair); any other process that dies meanwhile is a
 * consequence of the fault, such as a TaskManager that Flink 2.2 exits on any error in a failed
 * task's cleanup (before Tally's sink closed a fenced Kafka writer cleanly, most exits of a soak
 * came from there). Polled from the run's waiting loops.
 */
final class Supervisor {
  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

  private final ChaosTarget cluster;
  private final Duration restartDelay;
  private final Map<String, Long> exitedSinceNanos = new HashMap<>();
  private final List<String> restarted = new ArrayList<>();

  Supervisor(ChaosTarget cluster, Duration restartDelay) {
    this.cluster = cluster;
    this.restartDelay = restartDelay;
  }

  /**
   * Restarts every process, other than {@code heldByTheFault}, that has not been running for the
   * restart delay.
   */
  synchronized void restartExited(Set<String> heldByTheFault) {
    long now = System.nanoTime();
    for (ClusterProcess process : cluster.state().processes()) {
      String name = process.name();
      if (heldByTheFault.contains(name) || cluster.isRunning(name)) {
        exitedSinceNanos.remove(name);
        continue;
      }
      long since = exitedSinceNanos.computeIfAbsent(name, n -> now);
      if (now - since >= restartDelay.toNanos()) {
        LOG.info("Chaos: {} exited on its own; restarting it (as a supervisor would)", name);
        cluster.restart(name);
        exitedSinceNanos.remove(name);
        restarted.add(name);
      }
    }
  }

  /** The processes restarted since the last call, in order; clears the list. */
  synchronized List<String> takeRestarted() {
    List<String> names = List.copyOf(restarted);
    restarted.clear();
    return names;
  }
}
