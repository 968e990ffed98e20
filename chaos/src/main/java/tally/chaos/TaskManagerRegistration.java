package tally.chaos;

import java.util.Optional;

/**
 * Whether a TaskManager registered anew since a fault. Its resource id stays the same across
 * restarts, so "registered" alone could still be the dead process's registration, which the
 * ResourceManager keeps until the heartbeat timeout: it counts only once the registration went away
 * or changed its RPC path (a new process) and is back.
 */
final class TaskManagerRegistration {
  private final ChaosTarget cluster;
  private final String name;
  private final String before;
  private volatile boolean changed;

  TaskManagerRegistration(ChaosTarget cluster, String name) {
    this.cluster = cluster;
    this.name = name;
    this.before = cluster.registrationPath(name).orElse("");
  }

  /** Call it often (every poll): a short absence must be seen to count. */
  boolean registeredAnew() {
    Optional<String> now = cluster.registrationPath(name);
    if (now.isEmpty() || !now.get().equals(before)) {
      changed = true;
    }
    return changed && now.isPresent();
  }
}
