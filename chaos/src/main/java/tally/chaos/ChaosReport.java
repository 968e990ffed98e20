package tally.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import tally.testkit.audit.AuditReport;
import tally.testkit.audit.OutputCounts;

/**
 * The result of a chaos run: per fault when it was injected, noticed and recovered from; recovery
 * figures per kind; availability; and the audit's totals. {@link #passed()} is the exit criterion.
 *
 * @param settings what the run was asked to do, for the record (kinds, count, seed, rate, ...)
 * @param generated transactions the generator sent
 * @param audit the audit of the run's topics, or null when it could not run
 * @param availability share of the measured time the visible output was at most lagThreshold behind
 *     the input
 * @param measured the time availability was measured over (first fault's warm-up end to the
 *     generator's stop)
 * @param abortReason why the schedule stopped early, or null if every fault was injected
 */
public record ChaosReport(
    String runId,
    String jobId,
    Instant startedAt,
    Duration duration,
    Map<String, Object> settings,
    List<FaultRecord> faults,
    long generated,
    AuditReport audit,
    double availability,
    Duration measured,
    Duration unavailable,
    Duration lagThreshold,
    String abortReason) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  public ChaosReport {
    settings = new LinkedHashMap<>(settings);
    faults = List.copyOf(faults);
  }

  public boolean allRecovered() {
    return abortReason == null && faults.stream().allMatch(FaultRecord::recovered);
  }

  public boolean auditClean() {
    return audit != null && audit.clean();
  }

  public boolean passed() {
    return allRecovered() && auditClean();
  }

  public long lost() {
    return sum(OutputCounts::lost);
  }

  public long duplicated() {
    return sum(OutputCounts::duplicated);
  }

  public long mismatched() {
    return sum(OutputCounts::mismatched);
  }

  private long sum(ToLongFunction<OutputCounts> field) {
    return audit == null ? 0 : audit.outputs().stream().mapToLong(field).sum();
  }

  /** Recovery figures of some faults (those that recovered). */
  public record Figures(
      int count, long detectedMedianMillis, long recoveryMedianMillis, long recoveryMaxMillis) {}

  /** Per kind, in the order the kinds first appear, plus "all". */
  public Map<String, Figures> figures() {
    Map<String, List<FaultRecord>> byKind = new LinkedHashMap<>();
    for (FaultRecord fault : faults) {
      byKind.computeIfAbsent(fault.kind().cliName(), k -> new ArrayList<>()).add(fault);
    }
    Map<String, Figures> figures = new LinkedHashMap<>();
    byKind.forEach((kind, list) -> figures.put(kind, figuresOf(list)));
    figures.put("all", figuresOf(faults));
    return figures;
  }

  static Figures figuresOf(List<FaultRecord> faults) {
    List<Long> recoveries =
        faults.stream()
            .filter(FaultRecord::recovered)
            .map(FaultRecord::outputFlowingMillis)
            .sorted()
            .toList();
    List<Long> detections =
        faults.stream().map(FaultRecord::detectedMillis).filter(d -> d >= 0).sorted().toList();
    return new Figures(
        faults.size(),
        median(detections),
        median(recoveries),
        recoveries.isEmpty() ? -1 : recoveries.get(recoveries.size() - 1));
  }

  /** The median of sorted values (the mean of the middle two for an even count), -1 if none. */
  static long median(List<Long> sorted) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
  }

  public String verdict() {
    if (passed()) {
      return "CHAOS PASSED: every fault recovered; nothing lost, duplicated or mismatched";
    }
    List<String> problems = new ArrayList<>();
    if (abortReason != null) {
      problems.add("stopped early: " + abortReason);
    }
    long unrecovered = faults.stream().filter(f -> !f.recovered()).count();
    if (unrecovered > 0) {
      problems.add(unrecovered + " fault(s) did not recover");
    }
    if (audit == null) {
      problems.add("no audit");
    } else if (!audit.clean()) {
      problems.add(
          lost() + " lost, " + duplicated() + " duplicated, " + mismatched() + " mismatched");
    }
    return "CHAOS FAILED: " + String.join("; ", problems);
  }

  public String toText() {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "Chaos run %s (job %s): %d faults in %s, %,d transactions generated; settings %s%n%n",
            runId,
            jobId,
            faults.size(),
            human(duration),
            generated,
            settings));
    String row = "%3s  %-14s %-30s %-9s %9s %15s %10s %9s  %s%n";
    text.append(
        String.format(
            row,
            "#",
            "fault",
            "target",
            "injected",
            "detected",
            "output flowing",
            "repaired",
            "failovers",
            "recovered"));
    for (FaultRecord f : faults) {
      text.append(
          String.format(
              row,
              f.number(),
              f.kind().cliName(),
              f.target(),
              CLOCK.format(f.injectedAt()),
              seconds(f.detectedMillis()),
              seconds(f.outputFlowingMillis()),
              seconds(f.repairedMillis()),
              f.jobFailovers(),
              f.recovered() ? "yes" : "NO"));
      if (!f.note().isEmpty()) {
        text.append("     ").append(f.note()).append(System.lineSeparator());
      }
    }
    text.append(System.lineSeparator())
        .append("Recovery time = injection until output for new input was visible again:")
        .append(System.lineSeparator());
    String figureRow = "%-14s %6s %18s %18s %14s%n";
    text.append(
        String.format(
            figureRow,
            "fault",
            "count",
            "detected (median)",
            "recovery (median)",
            "recovery (max)"));
    figures()
        .forEach(
            (kind, f) ->
                text.append(
                    String.format(
                        figureRow,
                        kind,
                        f.count(),
                        seconds(f.detectedMedianMillis()),
                        seconds(f.recoveryMedianMillis()),
                        seconds(f.recoveryMaxMillis()))));
    text.append(
        String.format(
            Locale.ROOT,
            "Availability: %.1f %% of %s (output at most %s behind the input); unavailable %s%n",
            availability * 100,
            human(measured),
            human(lagThreshold),
            human(unavailable)));
    if (audit == null) {
      text.append("Audit: did not run").append(System.lineSeparator());
    } else {
      text.append(
          String.format(
              Locale.ROOT,
              "Audit: %,d input records; %d lost, %d duplicated, %d mismatched%n",
              audit.inputRecords(),
              lost(),
              duplicated(),
              mismatched()));
      text.append(audit.toText());
    }
    if (abortReason != null) {
      text.append("Stopped early: ").append(abortReason).append(System.lineSeparator());
    }
    text.append(verdict()).append(System.lineSeparator());
    return text.toString();
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("passed", passed());
    root.put("verdict", verdict());
    root.put("runId", runId);
    root.put("jobId", jobId);
    root.put("startedAt", startedAt.toString());
    root.put("durationMillis", duration.toMillis());
    root.set("settings", JSON.valueToTree(settings));
    ArrayNode list = root.putArray("faults");
    for (FaultRecord f : faults) {
      ObjectNode node = list.addObject();
      node.put("number", f.number());
      node.put("kind", f.kind().cliName());
      node.put("target", f.target());
      node.put("injectedAt", f.injectedAt().toString());
      node.put("detectedMillis", f.detectedMillis());
      node.put("outputFlowingMillis", f.outputFlowingMillis());
      node.put("repairedMillis", f.repairedMillis());
      node.put("recovered", f.recovered());
      node.put("jobFailovers", f.jobFailovers());
      node.put("note", f.note());
    }
    ObjectNode recovery = root.putObject("recovery");
    figures()
        .forEach(
            (kind, f) -> {
              ObjectNode node = recovery.putObject(kind);
              node.put("count", f.count());
              node.put("detectedMedianMillis", f.detectedMedianMillis());
              node.put("recoveryMedianMillis", f.recoveryMedianMillis());
              node.put("recoveryMaxMillis", f.recoveryMaxMillis());
            });
    ObjectNode totals = root.putObject("totals");
    totals.put("generated", generated);
    totals.put("inputRecords", audit == null ? 0 : audit.inputRecords());
    totals.put("lost", lost());
    totals.put("duplicated", duplicated());
    totals.put("mismatched", mismatched());
    totals.put("auditClean", auditClean());
    totals.put("allRecovered", allRecovered());
    ObjectNode availabilityNode = root.putObject("availability");
    availabilityNode.put("ratio", availability);
    availabilityNode.put("measuredMillis", measured.toMillis());
    availabilityNode.put("unavailableMillis", unavailable.toMillis());
    availabilityNode.put("lagThresholdMillis", lagThreshold.toMillis());
    if (audit != null) {
      root.set("audit", audit.toJsonTree());
    }
    if (abortReason != null) {
      root.put("abortReason", abortReason);
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the chaos report as JSON", e);
    }
  }

  static String seconds(long millis) {
    return millis < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  static String human(Duration d) {
    long s = d.toSeconds();
    return s >= 60
        ? (s / 60) + "m" + String.format("%02d", s % 60) + "s"
        : String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }
}
