package tally.chaos;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.support.Deadline;

/**
 * A TaskManager that is alive but out of reach for a while: frozen ({@link TaskManagerHang}) or cut
 * off by the network ({@link TaskManagerPartition}). Flink notices through missed heartbeats and
 * runs the job elsewhere; the outage ends after its duration. The TaskManager then finds its tasks
 * cancelled and its Kafka producers fenced. Tally's exactly-once sink closes a fenced writer
 * cleanly, so the TaskManager stays up; should it exit anyway (Flink treats any error in a failed
 * task's cleanup as fatal, e.g. from another job's sink), a supervisor (systemd, Kubernetes,
 * docker-compose's restart policy) restarts it, and so does this fault's repair.
 */
abstract class TaskManagerOutage implements Fault {
  private static final Logger LOG = LoggerFactory.getLogger(TaskManagerOutage.class);

  /** After the outage: how long to watch whether it exits, and how long registered is settled. */
  private static final Duration WATCH = Duration.ofSeconds(60);

  private static final Duration SETTLED = Duration.ofSeconds(5);

  protected final ChaosTarget cluster;
  protected final String name;
  private final String jobId;
  private final Duration outage;
  private final Duration restartDelay;
  private final String target;
  private final TaskManagerRegistration registration;
  private volatile boolean ended;
  private volatile boolean exitedAfterOutage;

  TaskManagerOutage(
      ChaosTarget cluster, String jobId, String name, Duration outage, Duration restartDelay) {
    this.cluster = cluster;
    this.jobId = jobId;
    this.name = name;
    this.outage = outage;
    this.restartDelay = restartDelay;
    this.target = cluster.describe(name);
    this.registration = new TaskManagerRegistration(cluster, name);
  }

  /** Starts the outage. */
  protected abstract void begin();

  /** Ends it; must be safe to call when {@link #begin()} failed half-way. */
  protected abstract void end();

  /** "stopped", "cut off from the JobManager and Kafka": for the report. */
  protected abstract String what();

  @Override
  public String target() {
    return target;
  }

  @Override
  public String note() {
    return what()
        + " for "
        + outage.toSeconds()
        + " s"
        + (exitedAfterOutage
            ? "; exited afterwards (a fatal error while cancelling its tasks) and was restarted"
            : "");
  }

  @Override
  public void inject() {
    begin();
  }

  @Override
  public Set<String> heldProcesses() {
    return Set.of(name);
  }

  @Override
  public void repair() {
    try {
      Deadline.sleep(outage);
    } finally {
      end(); // never leave a process stopped or cut off
      ended = true;
    }
    long[] registeredSince = {0};
    Deadline.in(WATCH)
        .await(
            () -> {
              if (!cluster.isRunning(name)) {
                return true;
              }
              if (!registration.registeredAnew()) {
                registeredSince[0] = 0;
                return false;
              }
              long now = System.nanoTime();
              registeredSince[0] = registeredSince[0] == 0 ? now : registeredSince[0];
              return now - registeredSince[0] >= SETTLED.toNanos();
            });
    if (!cluster.isRunning(name)) {
      exitedAfterOutage = true;
      LOG.info(
          "Chaos: {} exited after the outage; restarting it in {} s",
          name,
          restartDelay.toSeconds());
      Deadline.sleep(restartDelay);
      cluster.restart(name);
    }
  }

  @Override
  public Optional<Long> detectedAtMillis(long injectedAtMillis) {
    return cluster.firstFailureSince(jobId, injectedAtMillis);
  }

  @Override
  public boolean repaired() {
    return ended && registration.registeredAnew() && cluster.processHealthy(name);
  }
}
