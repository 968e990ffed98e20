package tally.chaos;

import java.util.Optional;
import java.util.Set;

/**
 * One injected fault: {@link #inject()} breaks something, {@link #repair()} undoes what an operator
 * (or a supervisor like systemd or Kubernetes) would undo, and the checks tell when the system
 * noticed and when the broken part is healthy again.
 */
interface Fault {

  FaultKind kind();

  /** What is hit, e.g. "taskmanager-2 (pid 1234)". */
  String target();

  /**
   * Context worth reporting (e.g. that the killed broker was the active controller); may be empty.
   */
  String note();

  void inject();

  /** Runs on its own thread after {@link #inject()}: waits its delay, then restarts / resumes. */
  void repair();

  /** Wall-clock ms when the system noticed the fault, once it has. */
  Optional<Long> detectedAtMillis(long injectedAtMillis);

  /** The hit part is back and healthy (true at once when nothing needs repairing). */
  boolean repaired();

  /**
   * The processes this fault stops and starts itself (the {@link Supervisor} leaves them alone
   * while it runs).
   */
  default Set<String> heldProcesses() {
    return Set.of();
  }
}
