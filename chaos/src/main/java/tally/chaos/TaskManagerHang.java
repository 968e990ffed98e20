package tally.chaos;

import java.time.Duration;

/** kill -STOP of a TaskManager: alive but silent, like a long GC pause or a frozen VM. */
final class TaskManagerHang extends TaskManagerOutage {

  TaskManagerHang(
      ChaosTarget cluster, String jobId, String name, Duration hang, Duration restartDelay) {
    super(cluster, jobId, name, hang, restartDelay);
  }

  @Override
  public FaultKind kind() {
    return FaultKind.TM_HANG;
  }

  @Override
  protected void begin() {
    cluster.stop(name);
  }

  @Override
  protected void end() {
    cluster.resume(name);
  }

  @Override
  protected String what() {
    return "stopped";
  }
}
