package tally.chaos;

import java.time.Duration;
import java.util.Optional;

/**
 * One process's link made slow for a while: a token bucket on both ends of its veth (this kernel
 * has no netem, so the delay comes from a congested link: queueing, then drops and TCP
 * retransmits). The rate is about what one broker moves at 600 transactions/s (~1.5 Mbit/s each
 * way, replication included), so bursts queue for up to {@link #QUEUE_MILLIS}: a slow link, not one
 * too narrow for the stream (512 kbit/s was, which is an outage of the output rather than latency).
 * Nothing should fail over: a failover here is a false detection, and the report shows it as the
 * fault's failover count.
 */
final class SlowNetwork extends NetworkOutage {
  static final int RATE_KBIT = 2048;
  static final int QUEUE_MILLIS = 300;

  private final String jobId;
  private final String name;
  private final String target;

  SlowNetwork(ChaosTarget cluster, String jobId, String name, Duration outage) {
    super(cluster, outage);
    this.jobId = jobId;
    this.name = name;
    this.target = cluster.describe(name);
  }

  @Override
  public FaultKind kind() {
    return FaultKind.SLOW_NETWORK;
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public String note() {
    return RATE_KBIT
        + " kbit/s with up to "
        + QUEUE_MILLIS
        + " ms of queue each way for "
        + outage().toSeconds()
        + " s; no failover expected";
  }

  @Override
  public void inject() {
    cluster.throttle(name, RATE_KBIT, QUEUE_MILLIS);
  }

  @Override
  protected void heal() {
    cluster.unthrottle(name);
  }

  /** Only a failover counts: the slow link itself is not meant to be detected. */
  @Override
  public Optional<Long> detectedAtMillis(long injectedAtMillis) {
    return cluster.firstFailureSince(jobId, injectedAtMillis);
  }

  @Override
  protected boolean healthyAgain() {
    return cluster.processHealthy(name);
  }
}
