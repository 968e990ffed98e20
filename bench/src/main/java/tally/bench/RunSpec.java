package tally.bench;

/**
 * One run of the bench.
 *
 * @param accounts accounts of the generated input (state size)
 * @param latencyRate records/s of the latency phase after catching up; 0 = no latency phase,
 *     negative = half of the throughput this run measured
 * @param topology which ledger topology a job run uses
 * @param profile record the catch-up with Java Flight Recorder
 */
record RunSpec(
    String label,
    RunKind kind,
    int accounts,
    long records,
    double latencyRate,
    Topology topology,
    boolean profile) {

  /**
   * The ledger topology as committed, the same with the settings from before the profile-driven
   * changes ({@link BaselineSettings}).
   */
  enum Topology {
    CURRENT,
    BEFORE_TUNING
  }

  RunSpec withLatencyRate(double rate) {
    return new RunSpec(label, kind, accounts, records, rate, topology, profile);
  }
}
