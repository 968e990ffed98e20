package tally.cluster.status;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** Prints {@link JobHealth} as a few aligned lines an operator reads at a glance. */
final class StatusFormatter {
  private StatusFormatter() {}

  static String format(JobHealth h) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "%s  %s  %s for %s, restarts %d, submitted %s ago%n",
            h.name(),
            h.jobId(),
            h.state(),
            Durations.human(h.nowMillis() - h.stateSinceMillis()),
            h.restarts(),
            Durations.human(h.nowMillis() - h.startMillis())));
    text.append("  checkpoints   ").append(checkpoints(h)).append('\n');
    if ("RUNNING".equals(h.state())) {
      text.append("  throughput    ").append(throughput(h)).append('\n');
      text.append("  lag           ").append(lag(h)).append('\n');
      text.append("  load          ").append(load(h)).append('\n');
      if (!h.stateKeys().isEmpty()) {
        text.append("  state         ").append(state(h)).append('\n');
      }
      if (!h.counters().isEmpty()) {
        text.append("  ledger        ").append(counters(h.counters())).append('\n');
      }
    }
    List<String> problems = h.problems();
    text.append("  health        ")
        .append(problems.isEmpty() ? "HEALTHY" : "UNHEALTHY: " + String.join("; ", problems));
    return text.toString();
  }

  private static String checkpoints(JobHealth h) {
    if (h.checkpointIntervalMillis() < 0) {
      return "checkpointing off";
    }
    String line =
        String.format(
            Locale.ROOT,
            "every %s: %,d completed, %,d failed, %d in progress",
            Durations.human(h.checkpointIntervalMillis()),
            h.checkpointsCompleted(),
            h.checkpointsFailed(),
            h.checkpointsInProgress());
    if (h.lastCheckpointId() >= 0) {
      line +=
          String.format(
              Locale.ROOT,
              "; last #%d %s ago, took %s, %s (full state %s)",
              h.lastCheckpointId(),
              Durations.human(h.lastCheckpointAgeMillis()),
              Durations.human(h.lastCheckpointDurationMillis()),
              Durations.bytes(h.lastCheckpointSizeBytes()),
              Durations.bytes(h.lastCheckpointFullSizeBytes()));
    }
    if (h.lastFailedCheckpointMessage() != null) {
      line += "; last failure: " + h.lastFailedCheckpointMessage().lines().findFirst().orElse("");
    }
    return line;
  }

  private static String throughput(JobHealth h) {
    return "in "
        + rate(h.recordsInPerSecond())
        + " (sources), out "
        + rate(h.recordsOutPerSecond())
        + " (sinks)";
  }

  private static String lag(JobHealth h) {
    return (h.pendingRecords() < 0 ? "-" : String.format(Locale.ROOT, "%,d", h.pendingRecords()))
        + " records not read yet (pendingRecords), emit lag "
        + (h.emitEventTimeLagMillis() < 0 ? "-" : Durations.human(h.emitEventTimeLagMillis()))
        + " behind the Kafka timestamps";
  }

  private static String load(JobHealth h) {
    return "busiest task "
        + percent(h.maxBusyPercent())
        + " busy, "
        + percent(h.maxBackPressuredPercent())
        + " back-pressured";
  }

  private static String state(JobHealth h) {
    StringJoiner joiner = new StringJoiner("; ");
    h.stateKeys()
        .forEach(
            (state, keys) ->
                joiner.add(
                    String.format(
                        Locale.ROOT,
                        "%s ~%,d keys, %s",
                        state,
                        keys,
                        Durations.bytes(h.stateBytes().getOrDefault(state, -1L)))));
    String line = joiner + " (RocksDB estimates)";
    if (h.stateBytesPerAccount() >= 0) {
      line += String.format(Locale.ROOT, "; ~%,d bytes per account", h.stateBytesPerAccount());
    }
    return line;
  }

  private static String counters(Map<String, Long> counters) {
    StringJoiner joiner = new StringJoiner(", ");
    counters.forEach(
        (name, value) -> joiner.add(String.format(Locale.ROOT, "%s %,d", name, value)));
    return joiner.toString();
  }

  private static String rate(double perSecond) {
    return perSecond < 0 ? "-" : String.format(Locale.ROOT, "%,.0f records/s", perSecond);
  }

  private static String percent(double value) {
    return value < 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", value);
  }
}
