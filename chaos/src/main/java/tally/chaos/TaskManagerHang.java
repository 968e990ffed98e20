package tally.chaos;

import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.support.Deadline;

/**
 * kill -STOP of a TaskManager: alive but silent, like a long GC pause or a frozen VM. Flink notices
 * through missed heartbeats and runs the job elsewhere; kill -CONT after the hang duration. The
 * resumed TaskManager then finds its tasks cancelled and its Kafka producers fenced; Flink 2.2 may
 * treat the writer's error during that cleanup as fatal and exit the JVM. A supervisor (systemd,
 * Kubernetes, docker-compose's restart policy) restarts it then, and so does this fault's repair.
 */
final class TaskManagerHang implements Fault {
  private static final Logger LOG = LoggerFactory.getLogger(TaskManagerHang.class);

  /**
   * After SIGCONT: how long to watch whether it exits, and how long re-registered counts as
   * settled.
   */
  private static final Duration WATCH = Duration.ofSeconds(60);

  private static final Duration SETTLED = Duration.ofSeconds(5);

  private final ChaosTarget cluster;
  private final String jobId;
  private final String name;
  private final Duration hang;
  private final Duration restartDelay;
  private final String target;
  private final TaskManagerRegistration registration;
  private volatile boolean resumed;
  private volatile boolean exitedAfterResume;

  TaskManagerHang(
      ChaosTarget cluster, String jobId, String name, Duration hang, Duration restartDelay) {
    this.cluster = cluster;
    this.jobId = jobId;
    this.name = name;
    this.hang = hang;
    this.restartDelay = restartDelay;
    this.target = cluster.describe(name);
    this.registration = new TaskManagerRegistration(cluster, name);
  }

  @Override
  public FaultKind kind() {
    return FaultKind.TM_HANG;
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public String note() {
    return "stopped for "
        + hang.toSeconds()
        + " s"
        + (exitedAfterResume
            ? "; exited after SIGCONT (Flink's fatal error while cancelling its fenced tasks) and"
                + " was restarted"
            : "");
  }

  @Override
  public void inject() {
    cluster.stop(name);
  }

  @Override
  public void repair() {
    try {
      Deadline.sleep(hang);
    } finally {
      cluster.resume(name); // never leave a process stopped
      resumed = true;
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
      exitedAfterResume = true;
      LOG.info(
          "Chaos: {} exited after SIGCONT; restarting it in {} s", name, restartDelay.toSeconds());
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
    return resumed && registration.registeredAnew() && cluster.processHealthy(name);
  }
}
