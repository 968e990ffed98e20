package tally.chaos;

import java.time.Instant;

/**
 * What happened to one fault.
 *
 * @param number 1-based position in the schedule
 * @param target what was hit, e.g. "taskmanager-2 (pid 1234)"
 * @param injectedAt wall-clock time of the injection
 * @param detectedMillis from injection until the system noticed (see docs/cluster.md per kind), -1
 *     if not observed
 * @param outputFlowingMillis from injection until the first balance update for a transaction
 *     generated after the injection was visible to read_committed readers: the recovery time; -1 if
 *     never
 * @param repairedMillis from injection until the hit process ran and was healthy again (restart or
 *     SIGCONT included), -1 if never; 0 for a job exception
 * @param recovered output flowed again, the job ran all its tasks and the process was healthy
 *     again, within the recovery timeout
 * @param jobFailovers how many failovers (restarts from the last checkpoint) Flink recorded
 *     meanwhile
 * @param note anything worth knowing (which broker was the active controller, ...)
 */
public record FaultRecord(
    int number,
    FaultKind kind,
    String target,
    Instant injectedAt,
    long detectedMillis,
    long outputFlowingMillis,
    long repairedMillis,
    boolean recovered,
    long jobFailovers,
    String note) {}
