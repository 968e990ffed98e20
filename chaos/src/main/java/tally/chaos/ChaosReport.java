package tally.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
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
 * @param failoversWithoutFault job failovers outside every fault's {@link FaultWindow}: reported,
 *     not failed on
 * @param sinkCommits the commits the exactly-once sink gave up on, from the TaskManagers' logs
 * @param files what the run wrote next to report.json besides it (timeline.csv, timeline.png)
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
    String abortReason,
    List<JobFailover> failoversWithoutFault,
    SinkCommitLog sinkCommits,
    List<String> files) {

  private static final int MAX_SINK_LINES = 20;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  public ChaosReport {
    settings = new LinkedHashMap<>(settings);
    faults = List.copyOf(faults);
    failoversWithoutFault = List.copyOf(failoversWithoutFault);
    files = List.copyOf(files);
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

  /** Lost records per generated transaction; 0 without an audit or input. */
  public double dataLossRate() {
    return generated == 0 ? 0 : (double) lost() / generated;
  }

  /** Mean time to recovery: the mean recovery time of the faults that recovered, -1 if none. */
  public long mttrMillis() {
    return figuresOf(faults).recoveryMeanMillis();
  }

  private long sum(ToLongFunction<OutputCounts> field) {
    return audit == null ? 0 : audit.outputs().stream().mapToLong(field).sum();
  }

  /**
   * Detection and recovery figures of some faults (recovery: of those that recovered); -1: none.
   */
  public record Figures(
      int count,
      long detectedMedianMillis,
      long detectedMaxMillis,
      long recoveryMedianMillis,
      long recoveryMaxMillis,
      long recoveryMeanMillis) {}

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
        max(detections),
        median(recoveries),
        max(recoveries),
        Math.round(recoveries.stream().mapToLong(Long::longValue).average().orElse(-1)));
  }

  private static long max(List<Long> sorted) {
    return sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1);
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
    String row = "%3s  %-16s %-30s %-9s %9s %15s %10s %9s  %s%n";
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
    String figureRow = "%-16s %6s %18s %15s %18s %15s%n";
    text.append(
        String.format(
            figureRow,
            "fault",
            "count",
            "detected (median)",
            "detected (max)",
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
                        seconds(f.detectedMaxMillis()),
                        seconds(f.recoveryMedianMillis()),
                        seconds(f.recoveryMaxMillis()))));
    long recoveredCount = faults.stream().filter(FaultRecord::recovered).count();
    text.append(
        String.format(
            Locale.ROOT,
            "MTTR: %s (mean recovery time of the %d recovered fault(s))%n",
            seconds(mttrMillis()),
            recoveredCount));
    text.append(
        String.format(
            Locale.ROOT,
            "Availability: %.1f %% of %s (output at most %s behind the input); unavailable %s%n",
            availability * 100,
            human(measured),
            human(lagThreshold),
            human(unavailable)));
    text.append(
        audit == null
            ? "Data loss: unknown (no audit)" + System.lineSeparator()
            : String.format(
                Locale.ROOT,
                "Data loss: rate %s (%,d lost / %,d generated); %,d duplicated%n",
                fraction(dataLossRate()),
                lost(),
                generated,
                duplicated()));
    text.append(
        String.format(
            Locale.ROOT,
            "Failovers without a fault: %d (job failovers outside every fault's window, injection"
                + " until recovered + %d s)%n",
            failoversWithoutFault.size(),
            FaultWindow.GRACE.toSeconds()));
    if (!failoversWithoutFault.isEmpty()) {
      text.append(
          String.format(
              "WARNING: the job failed over %d time(s) without an injected fault:%n",
              failoversWithoutFault.size()));
      for (JobFailover failover : failoversWithoutFault) {
        text.append(String.format("  %s  %s%n", CLOCK.format(failover.at()), failover.exception()));
      }
    }
    if (!files.isEmpty()) {
      text.append("Files next to report.json: ")
          .append(String.join(", ", files))
          .append(System.lineSeparator());
    }
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
    text.append(
        String.format(
            "Sink commits given up (TaskManager logs): %d restored after a failover and fenced"
                + " (committed before it, their id already reused: expected), %d others%n",
            sinkCommits.restoredFenced(), sinkCommits.others().size()));
    sinkCommits.others().stream()
        .limit(MAX_SINK_LINES)
        .forEach(line -> text.append("  ").append(line).append(System.lineSeparator()));
    if (sinkCommits.others().size() > MAX_SINK_LINES) {
      text.append(
          String.format("  ... and %d more%n", sinkCommits.others().size() - MAX_SINK_LINES));
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
              node.put("detectedMaxMillis", f.detectedMaxMillis());
              node.put("recoveryMedianMillis", f.recoveryMedianMillis());
              node.put("recoveryMaxMillis", f.recoveryMaxMillis());
              node.put("recoveryMeanMillis", f.recoveryMeanMillis());
            });
    root.put("mttrMillis", mttrMillis());
    ObjectNode totals = root.putObject("totals");
    totals.put("generated", generated);
    totals.put("inputRecords", audit == null ? 0 : audit.inputRecords());
    totals.put("lost", lost());
    totals.put("duplicated", duplicated());
    totals.put("mismatched", mismatched());
    if (audit == null) {
      totals.putNull("dataLossRate");
    } else {
      totals.put("dataLossRate", dataLossRate());
    }
    totals.put("auditClean", auditClean());
    totals.put("allRecovered", allRecovered());
    ObjectNode availabilityNode = root.putObject("availability");
    availabilityNode.put("ratio", availability);
    availabilityNode.put("measuredMillis", measured.toMillis());
    availabilityNode.put("unavailableMillis", unavailable.toMillis());
    availabilityNode.put("lagThresholdMillis", lagThreshold.toMillis());
    ObjectNode unexplained = root.putObject("failoversWithoutFault");
    unexplained.put("count", failoversWithoutFault.size());
    unexplained.put("graceMillis", FaultWindow.GRACE.toMillis());
    ArrayNode failovers = unexplained.putArray("failovers");
    for (JobFailover failover : failoversWithoutFault) {
      failovers
          .addObject()
          .put("at", failover.at().toString())
          .put("exception", failover.exception());
    }
    ObjectNode sink = root.putObject("sinkCommitsGivenUp");
    sink.put("restoredFenced", sinkCommits.restoredFenced());
    sinkCommits.others().forEach(sink.putArray("others")::add);
    files.forEach(root.putArray("files")::add);
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

  /** 0, 0.0000195, 0.25: three significant digits, never in exponent notation. */
  static String fraction(double value) {
    return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
  }

  static String human(Duration d) {
    long s = d.toSeconds();
    return s >= 60
        ? (s / 60) + "m" + String.format("%02d", s % 60) + "s"
        : String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }
}
