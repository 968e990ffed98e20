package tally.bench;

/**
 * What a state-growth run measured besides its catch-up ({@link StateRun}): building the state and
 * restoring it.
 *
 * @param accounts accounts, each with its opening deposit applied before the measured backlog
 * @param depositsPerSecond how fast the opening deposits were written (the broker's ingest)
 * @param applySeconds from submitting the job until it had committed all opening deposits
 * @param savepointSeconds triggering the savepoint until it completed (canonical format)
 * @param savepointBytes size of the savepoint on disk
 * @param fromSavepoint restoring from that savepoint; null if it failed
 * @param fromCheckpoint restoring from the checkpoint retained when the job was cancelled; null if
 *     it failed
 */
record RestoreTiming(
    int accounts,
    double depositsPerSecond,
    double applySeconds,
    double savepointSeconds,
    long savepointBytes,
    Restore fromSavepoint,
    Restore fromCheckpoint) {

  /**
   * One restore, timed from submitting the job.
   *
   * @param runningSeconds until the job and all its tasks were RUNNING (state loaded)
   * @param checkpointedSeconds until its first checkpoint after the restore completed
   * @param firstCheckpointBytes what that first checkpoint uploaded
   * @param firstCheckpointFullBytes the full state size of that checkpoint
   */
  record Restore(
      double runningSeconds,
      double checkpointedSeconds,
      long firstCheckpointBytes,
      long firstCheckpointFullBytes) {}
}
