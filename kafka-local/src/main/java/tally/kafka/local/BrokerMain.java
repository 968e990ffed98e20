package tally.kafka.local;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Main class of the embedded broker's JVM: {@code kafka.Kafka} plus a watchdog that stops the
 * broker when the JVM that started it is gone, even after a {@code kill -9} that skipped that JVM's
 * shutdown hooks.
 *
 * <p>The parent's pid comes as {@code -D}{@value #PARENT_PID_PROPERTY} (not from {@code
 * ProcessHandle.parent()}, which is already someone else if the parent died during our start-up).
 * {@code System.exit} runs Kafka's own shutdown hook: a clean stop.
 */
public final class BrokerMain {

  static final String PARENT_PID_PROPERTY = "tally.kafka.parentPid";

  private static final Logger LOG = LoggerFactory.getLogger(BrokerMain.class);

  private BrokerMain() {}

  public static void main(String[] args) {
    watchParent(Long.getLong(PARENT_PID_PROPERTY));
    // Kafka logs its start but not its stop; this gives broker.log the matching line.
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> LOG.info("Broker JVM shutting down"), "tally-stop-log"));
    kafka.Kafka.main(args);
  }

  private static void watchParent(Long parentPid) {
    if (parentPid == null) {
      return;
    }
    Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
    if (parent.isEmpty()) {
      exitOrphaned(parentPid);
    }
    // For a process that is not our child the JDK polls, at most every 5 s: soon enough for an
    // orphan.
    parent.get().onExit().thenRun(() -> exitOrphaned(parentPid));
  }

  private static void exitOrphaned(long parentPid) {
    LOG.warn("The JVM that started this broker (pid {}) is gone; stopping the broker", parentPid);
    System.exit(0);
  }
}
