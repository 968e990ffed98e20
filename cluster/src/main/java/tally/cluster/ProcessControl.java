package tally.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.support.Deadline;

/**
 * Starting and signalling the cluster's OS processes, always by pid and only after checking that
 * the pid still is the process this cluster started: same start time, and the cluster's marker
 * ({@code -Dtally.cluster.dir=<work dir>}) on its command line.
 */
public final class ProcessControl {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessControl.class);

  /** System property on every cluster process's command line: which cluster it belongs to. */
  public static final String MARKER_PROPERTY = "tally.cluster.dir";

  /**
   * A new session: Ctrl-C in the terminal that ran {@code bin/tally cluster up} (or chaos, which
   * restarts processes) must not reach the cluster. From a non-leader process setsid does not fork,
   * so the child's pid is the java process's.
   */
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private static final Duration START_TIME_TOLERANCE = Duration.ofSeconds(1);

  private ProcessControl() {}

  public static String marker(ClusterLayout layout) {
    return "-D" + MARKER_PROPERTY + "=" + layout.root();
  }

  /**
   * Starts the process detached from this JVM (own session, stdin from /dev/null, output appended
   * to its .out).
   */
  public static ClusterProcess launch(ClusterProcess process) {
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      command.add(SETSID.toString());
    }
    command.addAll(process.command());
    try {
      Files.createDirectories(Path.of(process.out()).getParent());
      if (process.tmpDir() != null) {
        Files.createDirectories(Path.of(process.tmpDir()));
      }
      Process started =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(process.out())))
              .start();
      long startedAt = started.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
      LOG.debug("Started {} as pid {}", process.name(), started.pid());
      return process.withPid(started.pid(), startedAt);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + process.name() + ": " + e.getMessage(), e);
    }
  }

  /** The live OS process that is {@code process}, if any (a dead or recycled pid gives empty). */
  public static Optional<ProcessHandle> live(ClusterProcess process, ClusterLayout layout) {
    if (process.pid() <= 0) {
      return Optional.empty();
    }
    return ProcessHandle.of(process.pid())
        .filter(ProcessHandle::isAlive)
        .filter(handle -> sameStart(handle, process.startedAtMillis()))
        .filter(handle -> belongsTo(handle, layout));
  }

  /**
   * Processes of this cluster that are not (any more) in its state file, e.g. after an interrupted
   * chaos run.
   */
  public static List<ProcessHandle> strays(ClusterLayout layout, List<ClusterProcess> known) {
    List<Long> knownPids = known.stream().map(ClusterProcess::pid).toList();
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.filter(handle -> !knownPids.contains(handle.pid()))
          .filter(handle -> handle.pid() != ProcessHandle.current().pid())
          .filter(handle -> belongsTo(handle, layout))
          .toList();
    }
  }

  /**
   * SIGTERM, then SIGKILL if it is still alive after {@code grace}. SIGCONT first, in case it is
   * stopped.
   */
  public static void terminate(ProcessHandle handle, Duration grace) {
    signal(handle.pid(), "CONT");
    handle.destroy();
    if (!awaitExit(handle, grace)) {
      LOG.info(
          "pid {} did not stop within {} s of SIGTERM; sending SIGKILL",
          handle.pid(),
          grace.toSeconds());
      kill(handle);
    }
  }

  /** SIGKILL (kill -9), and waits until the process is gone. */
  public static void kill(ProcessHandle handle) {
    handle.destroyForcibly();
    if (!awaitExit(handle, Duration.ofSeconds(10))) {
      throw new IllegalStateException("pid " + handle.pid() + " is still alive 10 s after SIGKILL");
    }
  }

  /** kill -STOP / -CONT: the JDK has no API for other signals. */
  public static void signal(long pid, String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
              .redirectErrorStream(true)
              .start();
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new IllegalStateException("kill -" + signal + " " + pid + " did not return");
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run kill -" + signal + " " + pid + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + pid, e);
    }
  }

  /** Whether the process is stopped (SIGSTOP): state 'T' in /proc/PID/stat (Linux). */
  public static boolean isStopped(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    try {
      String text = Files.readString(stat, StandardCharsets.UTF_8);
      // "pid (comm) S ...": the state follows the last ')'.
      int close = text.lastIndexOf(')');
      return close > 0 && close + 2 < text.length() && text.charAt(close + 2) == 'T';
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Polls every 50 ms: for a process that is not this JVM's child, {@code onExit()} notices the
   * exit only seconds later, which would delay a chaos run's restart.
   */
  public static boolean awaitExit(ProcessHandle handle, Duration timeout) {
    return Deadline.in(timeout).await(() -> !handle.isAlive(), () -> null, Duration.ofMillis(50));
  }

  private static boolean sameStart(ProcessHandle handle, long recordedMillis) {
    if (recordedMillis <= 0) {
      return true; // unknown at launch: rely on the marker
    }
    return handle
        .info()
        .startInstant()
        .map(
            start ->
                Math.abs(start.toEpochMilli() - recordedMillis) <= START_TIME_TOLERANCE.toMillis())
        .orElse(true);
  }

  private static boolean belongsTo(ProcessHandle handle, ClusterLayout layout) {
    String marker = marker(layout);
    return handle
        .info()
        .arguments()
        .map(args -> Stream.of(args).anyMatch(marker::equals))
        .orElseGet(() -> commandLineOf(handle.pid()).contains(marker));
  }

  private static String commandLineOf(long pid) {
    try {
      return new String(
              Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
              StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }
}
