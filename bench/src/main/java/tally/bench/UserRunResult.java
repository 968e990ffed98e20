package tally.bench;

/**
 * The figures of one thing users run, measured from outside its processes: a cold {@code bin/tally
 * run ledger} or the ledger job on the process cluster.
 *
 * @param contender what ran, as the report names it
 * @param records the backlog
 * @param wallSeconds from the process's start (the submission, on the cluster) until the run's
 *     consumer group had committed the whole input
 * @param steadyRecordsPerSecond committed-offset progress between 10 % and 90 % of the backlog; NaN
 *     when too coarse to tell
 * @param cpuNanos CPU time of {@code cpuProcesses} over the run
 * @param cpuProcesses which processes {@code cpuNanos} adds up
 * @param audit the audit of the run's output, null when the run failed before it
 * @param failure why the run failed, null when it did not
 * @param cpuBreakdown where the CPU went (cold processes), or null
 */
record UserRunResult(
    String contender,
    long records,
    double wallSeconds,
    double steadyRecordsPerSecond,
    long cpuNanos,
    String cpuProcesses,
    AuditedOutput audit,
    String failure,
    CpuBreakdown cpuBreakdown) {

  UserRunResult withCpuBreakdown(CpuBreakdown value) {
    return new UserRunResult(
        contender,
        records,
        wallSeconds,
        steadyRecordsPerSecond,
        cpuNanos,
        cpuProcesses,
        audit,
        failure,
        value);
  }

  static UserRunResult failed(String contender, long records, String failure) {
    return new UserRunResult(
        contender, records, Double.NaN, Double.NaN, -1, "", null, failure, null);
  }

  /** A run whose output the audit found wrong counts as failed. */
  UserRunResult withAudit(AuditedOutput value) {
    return new UserRunResult(
        contender,
        records,
        wallSeconds,
        steadyRecordsPerSecond,
        cpuNanos,
        cpuProcesses,
        value,
        value.clean() ? failure : "audit failed: " + value.verdict(),
        cpuBreakdown);
  }

  boolean passed() {
    return failure == null && audit != null && audit.clean();
  }

  double wallRecordsPerSecond() {
    return records / wallSeconds;
  }

  double cpuMicrosPerRecord() {
    return cpuNanos < 0 ? Double.NaN : cpuNanos / 1e3 / records;
  }
}
