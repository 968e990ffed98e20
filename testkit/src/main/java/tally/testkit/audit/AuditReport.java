package tally.testkit.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The audit's answer: per output how many records were expected, found, lost, duplicated and
 * mismatched. {@link #clean()} is the exit criterion of {@code tally audit}.
 *
 * @param inputTopic the audited transactions topic
 * @param inputRecords records of the input snapshot
 * @param duplicatesDropped exact duplicates the rules drop (expected, not observable on a topic)
 * @param expectedDeadLettersByReason reason code to expected count
 * @param timedOut the wait for outputs ended by the timeout, not because everything was found
 * @param waited how long the audit waited for the outputs
 * @param notes anything that limits the audit's meaning (a missing topic, an input that grew)
 */
public record AuditReport(
    String inputTopic,
    long inputRecords,
    long duplicatesDropped,
    Map<String, Long> expectedDeadLettersByReason,
    OutputCounts balances,
    OutputCounts alerts,
    OutputCounts deadLetters,
    boolean timedOut,
    Duration waited,
    List<String> notes) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public AuditReport {
    expectedDeadLettersByReason = Map.copyOf(expectedDeadLettersByReason);
    notes = List.copyOf(notes);
  }

  public List<OutputCounts> outputs() {
    return List.of(balances, alerts, deadLetters);
  }

  /** Nothing lost, duplicated or mismatched on any output. */
  public boolean clean() {
    return outputs().stream().allMatch(OutputCounts::clean);
  }

  /** {@code AUDIT CLEAN}, or {@code AUDIT FAILED: } and what is wrong, on one line. */
  public String verdict() {
    if (clean()) {
      return "AUDIT CLEAN";
    }
    List<String> problems = new ArrayList<>();
    for (OutputCounts output : outputs()) {
      List<String> wrong = new ArrayList<>();
      addIfPositive(wrong, output.lost(), "lost");
      addIfPositive(wrong, output.duplicated(), "duplicated");
      addIfPositive(wrong, output.mismatched(), "mismatched");
      if (!wrong.isEmpty()) {
        problems.add(output.output() + " " + String.join(", ", wrong));
      }
    }
    String verdict = "AUDIT FAILED: " + String.join("; ", problems);
    return timedOut ? verdict + " (gave up waiting after " + seconds(waited) + " s)" : verdict;
  }

  /** A small aligned table, examples of what is wrong, notes, then the verdict line. */
  public String toText() {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "Audit of %s: %d input records, %d exact duplicates to drop, waited %s s%n",
            inputTopic,
            inputRecords,
            duplicatesDropped,
            seconds(waited)));
    String row = "%-10s %12s %12s %10s %12s %12s%n";
    text.append(
        String.format(row, "output", "expected", "found", "lost", "duplicated", "mismatched"));
    for (OutputCounts output : outputs()) {
      text.append(
          String.format(
              row,
              output.output(),
              output.expected(),
              output.found(),
              output.lost(),
              output.duplicated(),
              output.mismatched()));
    }
    text.append("dead letters expected by reason: ")
        .append(reasonsInOrder())
        .append(System.lineSeparator());
    for (OutputCounts output : outputs()) {
      for (String example : output.examples()) {
        text.append("  ")
            .append(output.output())
            .append(": ")
            .append(example)
            .append(System.lineSeparator());
      }
    }
    for (String note : notes) {
      text.append("note: ").append(note).append(System.lineSeparator());
    }
    text.append(verdict()).append(System.lineSeparator());
    return text.toString();
  }

  /** The report as a JSON object (pretty-printed). */
  public String toJson() {
    try {
      return JSON.writeValueAsString(toJsonTree());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot render the audit report as JSON", e);
    }
  }

  public ObjectNode toJsonTree() {
    ObjectNode root = JSON.createObjectNode();
    root.put("clean", clean());
    root.put("verdict", verdict());
    root.put("inputTopic", inputTopic);
    root.put("inputRecords", inputRecords);
    root.put("duplicatesDropped", duplicatesDropped);
    ObjectNode reasons = root.putObject("expectedDeadLettersByReason");
    for (DlqReason reason : DlqReason.values()) {
      reasons.put(reason.code(), expectedDeadLettersByReason.getOrDefault(reason.code(), 0L));
    }
    ObjectNode outputs = root.putObject("outputs");
    for (OutputCounts output : outputs()) {
      ObjectNode node = outputs.putObject(output.output());
      node.put("expected", output.expected());
      node.put("found", output.found());
      node.put("lost", output.lost());
      node.put("duplicated", output.duplicated());
      node.put("mismatched", output.mismatched());
      output.examples().forEach(node.putArray("examples")::add);
    }
    root.put("timedOut", timedOut);
    root.put("waitedMillis", waited.toMillis());
    notes.forEach(root.putArray("notes")::add);
    return root;
  }

  private String reasonsInOrder() {
    List<String> parts = new ArrayList<>();
    for (DlqReason reason : DlqReason.values()) {
      parts.add(reason.code() + " " + expectedDeadLettersByReason.getOrDefault(reason.code(), 0L));
    }
    return parts.stream().collect(Collectors.joining(", "));
  }

  private static void addIfPositive(List<String> parts, long count, String what) {
    if (count > 0) {
      parts.add(count + " " + what);
    }
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
  }
}
