package tally.chaos;

import java.time.Duration;
import java.util.Set;
import tally.support.Deadline;

/**
 * kill -9 of one cluster process, restarted after the restart delay as a supervisor (systemd,
 * Kubernetes, Compose's restart policy) would. Subclasses say how the system notices and when the
 * process counts as healthy again.
 */
abstract class ProcessKill implements Fault {
  protected final ChaosTarget cluster;
  protected final String name;
  private final Duration restartDelay;
  private final String target;
  private volatile boolean restarted;

  ProcessKill(ChaosTarget cluster, String name, Duration restartDelay) {
    this.cluster = cluster;
    this.name = name;
    this.restartDelay = restartDelay;
    this.target = cluster.describe(name);
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
    cluster.kill(name);
  }

  @Override
  public Set<String> heldProcesses() {
    return Set.of(name);
  }

  @Override
  public void repair() {
    Deadline.sleep(restartDelay);
    cluster.restart(name);
    restarted = true;
  }

  /** The restart has happened (the process may still be starting). */
  protected boolean restarted() {
    return restarted;
  }
}
