package tally.chaos;

import java.time.Duration;
import tally.support.Deadline;

/**
 * A fault of the network that lasts a while and is then undone: a partition or a slow link. The
 * repair waits out the duration, then heals.
 */
abstract class NetworkOutage implements Fault {
  protected final ChaosTarget cluster;
  private final Duration outage;
  private volatile boolean healed;

  NetworkOutage(ChaosTarget cluster, Duration outage) {
    this.cluster = cluster;
    this.outage = outage;
  }

  /** Undoes the fault; must be safe to call when {@link #inject()} failed half-way. */
  protected abstract void heal();

  /** Whether the parts the fault hit are healthy again, after the heal. */
  protected abstract boolean healthyAgain();

  protected Duration outage() {
    return outage;
  }

  @Override
  public void repair() {
    try {
      Deadline.sleep(outage);
    } finally {
      heal();
      healed = true;
    }
  }

  @Override
  public boolean repaired() {
    return healed && healthyAgain();
  }
}
