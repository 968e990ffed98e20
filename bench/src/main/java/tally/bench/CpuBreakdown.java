package tally.bench;

import java.util.Map;

/**
 * Where a cold process's CPU went: the share spent before its first commit (JVM and MiniCluster
 * start-up, deployment, the first checkpoint interval), and the whole run's CPU by kind of thread
 * ({@link ThreadCpu}). With {@code --profile}, the process's CPU samples as well.
 *
 * @param secondsToFirstCommit from the process's start to its consumer group's first commit
 * @param cpuNanosToFirstCommit the process's CPU up to that moment
 * @param totalCpuNanos the process's CPU up to the whole input committed
 * @param byThreadGroup CPU nanoseconds of the live threads at the end, by group, largest first
 * @param profile the JFR summary, or null without {@code --profile}
 * @param nativeProfile the native CPU samples, or null without {@code --profile} or async-profiler
 */
record CpuBreakdown(
    double secondsToFirstCommit,
    long cpuNanosToFirstCommit,
    long totalCpuNanos,
    Map<String, Long> byThreadGroup,
    String profile,
    NativeProfile nativeProfile) {

  CpuBreakdown withProfile(String summary) {
    return new CpuBreakdown(
        secondsToFirstCommit,
        cpuNanosToFirstCommit,
        totalCpuNanos,
        byThreadGroup,
        summary,
        nativeProfile);
  }

  CpuBreakdown withNativeProfile(NativeProfile samples) {
    return new CpuBreakdown(
        secondsToFirstCommit,
        cpuNanosToFirstCommit,
        totalCpuNanos,
        byThreadGroup,
        profile,
        samples);
  }

  /** CPU nanoseconds of one thread group (0 when it had no live thread at the end). */
  long groupNanos(String group) {
    return byThreadGroup.getOrDefault(group, 0L);
  }

  /** The thread groups' CPU-seconds on one line, for the log. */
  String oneLine() {
    StringBuilder line = new StringBuilder();
    byThreadGroup.forEach(
        (group, nanos) ->
            line.append(line.length() == 0 ? "" : ", ")
                .append(group)
                .append(' ')
                .append(Format.decimal(nanos / 1e9, 1))
                .append(" s"));
    return line.toString();
  }

  /** A Markdown table: CPU-seconds, share and µs per record of each thread group. */
  String markdown(long records) {
    StringBuilder md = new StringBuilder();
    md.append("| threads | CPU s | share | µs per record |\n|---|---:|---:|---:|\n");
    double total = Math.max(1, totalCpuNanos);
    byThreadGroup.forEach(
        (group, nanos) ->
            md.append("| ")
                .append(group)
                .append(" | ")
                .append(Format.decimal(nanos / 1e9, 1))
                .append(" | ")
                .append(Format.integer(100.0 * nanos / total))
                .append(" % | ")
                .append(Format.decimal(nanos / 1e3 / records, 1))
                .append(" |\n"));
    md.append("| **the whole process** | **")
        .append(Format.decimal(totalCpuNanos / 1e9, 1))
        .append("** | 100 % | **")
        .append(Format.decimal(totalCpuNanos / 1e3 / records, 1))
        .append("** |\n");
    return md.toString();
  }
}
