package tally.bench;

/**
 * The figures of one run.
 *
 * @param preloadPerSecond how fast the backlog was written (the broker's ingest, for context)
 * @param catchUpSeconds from submitting the job (starting the copy) until its committed offsets
 *     reached the end of the input: start-up and the last checkpoint included
 * @param latencyRate the steady input rate of the latency phase, 0 if none ran
 */
record RunResult(
    RunSpec spec,
    double preloadPerSecond,
    ProgressSamples.Throughput throughput,
    double catchUpSeconds,
    CheckpointSummary checkpoints,
    double latencyRate,
    Distribution latencyMillis,
    String profileSummary) {}
