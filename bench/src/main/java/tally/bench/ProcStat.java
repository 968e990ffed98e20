package tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time of a process from {@code /proc/<pid>/stat} (Linux): user + system time since the process
 * started, JIT compilation and start-up included. For processes the bench did not start in its JVM
 * (a child {@code bin/tally}, the cluster's JobManager and TaskManagers) there is no MXBean.
 */
final class ProcStat {
  /** USER_HZ: the unit of the stat file's times; 100 on every Linux the bench runs on. */
  static final long TICKS_PER_SECOND = 100;

  /** Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15. */
  private static final int UTIME = 14 - 3;

  private static final int STIME = 15 - 3;
  private static final int CUTIME = 16 - 3;
  private static final int CSTIME = 17 - 3;

  private ProcStat() {}

  /** utime + stime of one stat line, in nanoseconds. */
  static long cpuNanos(String statLine) {
    String[] fields = fieldsAfterCommand(statLine);
    return ticksToNanos(Long.parseLong(fields[UTIME]) + Long.parseLong(fields[STIME]));
  }

  /** The command (a thread's name, in {@code task/<tid>/stat}): field 2, in parentheses. */
  static String command(String statLine) {
    int open = statLine.indexOf('(');
    int close = statLine.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
    }
    return statLine.substring(open + 1, close);
  }

  /** cutime + cstime: CPU of the children this process has waited for, in nanoseconds. */
  static long childrenCpuNanos(String statLine) {
    String[] fields = fieldsAfterCommand(statLine);
    return ticksToNanos(Long.parseLong(fields[CUTIME]) + Long.parseLong(fields[CSTIME]));
  }

  /** The CPU time of {@code pid} so far, empty when it is gone (or /proc is not there). */
  static OptionalLong cpuNanos(long pid) {
    return read(pid).map(line -> OptionalLong.of(cpuNanos(line))).orElse(OptionalLong.empty());
  }

  /** The CPU of this JVM's reaped children so far (e.g. a finished {@code flink run}), or 0. */
  static long ownChildrenCpuNanos() {
    return read(ProcessHandle.current().pid()).map(ProcStat::childrenCpuNanos).orElse(0L);
  }

  private static java.util.Optional<String> read(long pid) {
    try {
      return java.util.Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  /** The command (field 2) is in parentheses and may contain spaces and parentheses itself. */
  private static String[] fieldsAfterCommand(String statLine) {
    int close = statLine.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
    }
    String[] rest = statLine.substring(close + 1).trim().split("\\s+");
    if (rest.length <= CSTIME) {
      throw new IllegalArgumentException("too few fields in /proc/<pid>/stat: " + statLine);
    }
    return rest;
  }

  private static long ticksToNanos(long ticks) {
    return ticks * (1_000_000_000L / TICKS_PER_SECOND);
  }
}
