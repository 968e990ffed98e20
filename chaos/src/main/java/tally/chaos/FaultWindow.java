package tally.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The time in which a fault explains the job's failovers: from its injection until it recovered
 * (output flowing and process repaired, whichever came later) plus a grace, since some failovers
 * follow a fault late (a resumed TaskManager exits, a restarted one's tasks fail to deploy). A
 * fault that never recovered explains everything after it.
 */
record FaultWindow(Instant from, Instant until) {
  static final Duration GRACE = Duration.ofSeconds(30);

  static FaultWindow of(FaultRecord fault, Duration grace) {
    if (!fault.recovered()) {
      return new FaultWindow(fault.injectedAt(), Instant.MAX);
    }
    long recoveredMillis = Math.max(fault.outputFlowingMillis(), fault.repairedMillis());
    return new FaultWindow(
        fault.injectedAt(), fault.injectedAt().plusMillis(recoveredMillis).plus(grace));
  }

  static List<FaultWindow> of(List<FaultRecord> faults, Duration grace) {
    return faults.stream().map(fault -> of(fault, grace)).toList();
  }

  boolean covers(Instant at) {
    return !at.isBefore(from) && !at.isAfter(until);
  }

  /** The failovers no window covers, oldest first: a failover without a fault is a finding. */
  static List<JobFailover> failoversWithoutFault(
      List<FaultWindow> windows, Collection<JobFailover> failovers) {
    return failovers.stream()
        .filter(failover -> windows.stream().noneMatch(window -> window.covers(failover.at())))
        .sorted(Comparator.comparing(JobFailover::at))
        .toList();
  }
}
