package tally.testkit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static tally.testkit.audit.Transactions.utf8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tally.schemas.BalanceUpdate;
import tally.schemas.OverdraftAlert;
import tally.testkit.audit.Scenario.Out;

class OutputComparisonTest {

  private final Scenario scenario = new Scenario();

  @Test
  void theScenarioExpectsWhatTheRulesSay() {
    LedgerOracle oracle = scenario.oracle;

    assertThat(oracle.expectedBalanceCount()).isEqualTo(4);
    assertThat(oracle.expectedAlertCount()).isEqualTo(2);
    assertThat(oracle.expectedDeadLetterCount()).isEqualTo(4);
    assertThat(oracle.duplicatesDropped()).isEqualTo(1);
  }

  @Test
  void correctOutputsAreClean() {
    AuditReport report = scenario.compare().report();

    assertThat(report.clean()).isTrue();
    assertThat(report.verdict()).isEqualTo("AUDIT CLEAN");
    assertThat(report.outputs()).extracting(OutputCounts::expected).containsExactly(4L, 2L, 4L);
    assertThat(report.outputs()).extracting(OutputCounts::found).containsExactly(4L, 2L, 4L);
    assertThat(report.outputs()).allSatisfy(counts -> assertThat(counts.examples()).isEmpty());
    assertThat(report.duplicatesDropped()).isEqualTo(1);
  }

  @Test
  void outputsInAnyOrderAreClean() {
    java.util.Collections.reverse(scenario.balances);
    java.util.Collections.reverse(scenario.deadLetters);

    assertThat(scenario.compare().report().clean()).isTrue();
  }

  @Test
  void nothingLostOnlyOnceEveryExpectedRecordIsFound() {
    OutputComparison comparison = new OutputComparison(scenario.oracle, Scenario.INPUT_TOPIC);
    assertThat(comparison.nothingLost()).isFalse();

    scenario.balances.forEach(
        out -> comparison.acceptBalance(0, out.offset(), out.key(), out.value()));
    scenario.alerts.forEach(out -> comparison.acceptAlert(0, out.offset(), out.key(), out.value()));
    assertThat(comparison.nothingLost()).isFalse();
    assertThat(comparison.progress()).contains("dlq 0/4 (lost 4)");

    scenario.deadLetters.forEach(
        out -> comparison.acceptDeadLetter(0, out.offset(), out.key(), out.value(), out.headers()));
    assertThat(comparison.nothingLost()).isTrue();
  }

  // ---- balances ----

  @Test
  void aDroppedBalanceUpdateIsLost() {
    scenario.balances.remove(1);

    AuditReport report = scenario.compare().report();

    assertCounts(report.balances(), 3, 1, 0, 0);
    assertThat(report.balances().examples())
        .singleElement()
        .asString()
        .startsWith("lost balance update acct-");
    assertThat(report.clean()).isFalse();
    assertThat(report.verdict()).isEqualTo("AUDIT FAILED: balances 1 lost");
  }

  @Test
  void aRepeatedBalanceUpdateIsDuplicated() {
    scenario.balances.add(scenario.balances.get(2));

    AuditReport report = scenario.compare().report();

    assertCounts(report.balances(), 5, 0, 1, 0);
    assertThat(report.verdict()).isEqualTo("AUDIT FAILED: balances 1 duplicated");
  }

  @Test
  void anAlteredBalanceUpdateIsMismatched() {
    alterBalance(
        0,
        update -> {
          update.setBalanceCents(update.getBalanceCents() + 1);
          return update;
        });

    OutputCounts balances = scenario.compare().balances();

    assertCounts(balances, 4, 0, 0, 1);
    assertThat(balances.examples()).singleElement().asString().contains("balanceCents expected");
  }

  @Test
  void aBalanceUpdateWithAnotherSeqIsMismatched() {
    alterBalance(
        3,
        update -> {
          update.setSeq(update.getSeq() + 1);
          return update;
        });

    assertCounts(scenario.compare().balances(), 4, 0, 0, 1);
  }

  @Test
  void aBalanceUpdateForATransactionTheRulesRejectIsMismatched() {
    alterBalance(
        0,
        update -> {
          update.setTxnId("a4"); // the currency-mismatch one
          return update;
        });

    OutputCounts balances = scenario.compare().balances();

    assertCounts(balances, 4, 1, 0, 1);
    assertThat(balances.examples())
        .anySatisfy(example -> assertThat(example).startsWith("unexpected"));
  }

  @Test
  void aBalanceUpdateUnderTheWrongKeyIsMismatched() {
    scenario.balances.set(0, Scenario.withKey(scenario.balances.get(0), utf8("acct-9")));

    assertCounts(scenario.compare().balances(), 4, 0, 0, 1);
  }

  @Test
  void anUndecodableBalanceUpdateIsMismatched() {
    scenario.balances.add(Scenario.withValue(scenario.balances.get(0), new byte[] {1, 2, 3}));

    assertCounts(scenario.compare().balances(), 5, 0, 0, 1);
  }

  // ---- alerts ----

  @Test
  void aDroppedAlertIsLost() {
    scenario.alerts.remove(0);

    AuditReport report = scenario.compare().report();

    assertCounts(report.alerts(), 1, 1, 0, 0);
    assertThat(report.verdict()).isEqualTo("AUDIT FAILED: alerts 1 lost");
  }

  @Test
  void aRepeatedAlertIsDuplicated() {
    scenario.alerts.add(scenario.alerts.get(1));

    assertCounts(scenario.compare().alerts(), 3, 0, 1, 0);
  }

  @Test
  void anAlteredAlertIsMismatched() {
    Out out = scenario.alerts.get(0);
    OverdraftAlert alert = decodeAlert(out.value());
    alert.setPreviousBalanceCents(alert.getPreviousBalanceCents() - 1);
    scenario.alerts.set(0, Scenario.withValue(out, Scenario.ALERTS.encode(alert)));

    assertCounts(scenario.compare().alerts(), 2, 0, 0, 1);
  }

  @Test
  void anAlertWithoutACrossingIsMismatched() {
    OverdraftAlert alert = decodeAlert(scenario.alerts.get(0).value());
    alert.setTxnId("a3"); // applied, but the balance was already negative
    scenario.alerts.add(
        new Out(
            0, 9, utf8(alert.getAccountId()), Scenario.ALERTS.encode(alert), java.util.Map.of()));

    OutputCounts alerts = scenario.compare().alerts();

    assertCounts(alerts, 3, 0, 0, 1);
    assertThat(alerts.examples()).singleElement().asString().contains("not an overdraft crossing");
  }

  // ---- dead letters ----

  @Test
  void aDroppedDeadLetterIsLost() {
    scenario.deadLetters.remove(3);

    AuditReport report = scenario.compare().report();

    assertCounts(report.deadLetters(), 3, 1, 0, 0);
    assertThat(report.deadLetters().examples())
        .singleElement()
        .asString()
        .isEqualTo("lost dead letter tally.transactions-1@2 invalid");
  }

  @Test
  void aRepeatedDeadLetterIsDuplicated() {
    scenario.deadLetters.add(scenario.deadLetters.get(0));

    assertCounts(scenario.compare().deadLetters(), 5, 0, 1, 0);
  }

  @Test
  void aDeadLetterWithAnotherReasonIsMismatched() {
    scenario.deadLetters.set(
        0, Scenario.withHeader(scenario.deadLetters.get(0), "tally.error", "invalid"));

    OutputCounts deadLetters = scenario.compare().deadLetters();

    assertCounts(deadLetters, 4, 0, 0, 1);
    assertThat(deadLetters.examples())
        .singleElement()
        .asString()
        .contains("tally.error expected currency-mismatch, found invalid");
  }

  @Test
  void aDeadLetterWithChangedBytesIsMismatched() {
    Out out = scenario.deadLetters.get(2);
    byte[] changed = out.value().clone();
    changed[0]++;
    scenario.deadLetters.set(2, Scenario.withValue(out, changed));
    scenario.deadLetters.set(1, Scenario.withKey(scenario.deadLetters.get(1), utf8("other")));

    OutputCounts deadLetters = scenario.compare().deadLetters();

    assertCounts(deadLetters, 4, 0, 0, 2);
    assertThat(deadLetters.examples())
        .anySatisfy(e -> assertThat(e).contains("value bytes changed"));
    assertThat(deadLetters.examples()).anySatisfy(e -> assertThat(e).contains("key bytes changed"));
  }

  @Test
  void aDeadLetterOfARecordTheRulesApplyIsMismatched() {
    InputRecord applied = scenario.input.get(0);
    scenario.deadLetters.add(
        scenario.deadLetter(
            applied.key(),
            applied.value(),
            "invalid",
            Scenario.INPUT_TOPIC,
            applied.partition(),
            applied.offset()));

    assertCounts(scenario.compare().deadLetters(), 5, 0, 0, 1);
  }

  @Test
  void aDeadLetterFromAnotherTopicOrWithoutSourceHeadersIsMismatched() {
    Out first = scenario.deadLetters.get(0);
    scenario.deadLetters.add(Scenario.withHeader(first, "tally.source.topic", "elsewhere"));
    scenario.deadLetters.add(Scenario.withHeader(first, "tally.source.offset", "not-a-number"));
    scenario.deadLetters.add(new Out(0, 99, first.key(), first.value(), java.util.Map.of()));

    assertCounts(scenario.compare().deadLetters(), 7, 0, 0, 3);
  }

  // ---- the report ----

  @Test
  void verdictNamesEveryProblem() {
    scenario.balances.remove(0);
    scenario.alerts.add(scenario.alerts.get(0));
    scenario.deadLetters.set(
        0, Scenario.withHeader(scenario.deadLetters.get(0), "tally.error", "invalid"));

    AuditReport report =
        scenario.compare().report(true, java.time.Duration.ofSeconds(3), List.of("a note"));

    assertThat(report.verdict())
        .isEqualTo(
            "AUDIT FAILED: balances 1 lost; alerts 1 duplicated; dlq 1 mismatched (gave up waiting"
                + " after 3.0 s)");
    String text = report.toText();
    assertThat(text).contains("note: a note").endsWith(report.verdict() + System.lineSeparator());
    assertThat(text.lines().filter(line -> line.startsWith("balances")).findFirst().orElseThrow())
        .matches("balances\\s+4\\s+3\\s+1\\s+0\\s+0");
  }

  @Test
  void textReportIsAnAlignedTable() {
    String text = scenario.compare().report().toText();

    List<String> lines = text.lines().toList();
    assertThat(lines.get(1))
        .startsWith("output")
        .contains("expected", "found", "lost", "duplicated", "mismatched");
    assertThat(lines.subList(1, 5)).extracting(String::length).containsOnly(lines.get(1).length());
    assertThat(text)
        .contains(
            "dead letters expected by reason: undecodable 1, invalid 1, currency-mismatch 1,"
                + " conflicting-duplicate 1");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("AUDIT CLEAN");
  }

  @Test
  void jsonReportHasTheCounts() throws Exception {
    scenario.alerts.remove(0);

    JsonNode json = new ObjectMapper().readTree(scenario.compare().report().toJson());

    assertThat(json.get("clean").asBoolean()).isFalse();
    assertThat(json.get("verdict").asText()).isEqualTo("AUDIT FAILED: alerts 1 lost");
    assertThat(json.get("inputRecords").asLong()).isEqualTo(9);
    assertThat(json.get("duplicatesDropped").asLong()).isEqualTo(1);
    assertThat(json.at("/outputs/alerts/expected").asLong()).isEqualTo(2);
    assertThat(json.at("/outputs/alerts/found").asLong()).isEqualTo(1);
    assertThat(json.at("/outputs/alerts/lost").asLong()).isEqualTo(1);
    assertThat(json.at("/outputs/balances/lost").asLong()).isZero();
    assertThat(json.at("/outputs/dlq/expected").asLong()).isEqualTo(4);
    assertThat(json.at("/expectedDeadLettersByReason/conflicting-duplicate").asLong()).isEqualTo(1);
    assertThat(json.get("timedOut").asBoolean()).isFalse();
  }

  private void alterBalance(int index, Function<BalanceUpdate, BalanceUpdate> change) {
    Out out = scenario.balances.get(index);
    BalanceUpdate altered = change.apply(decodeBalance(out.value()));
    scenario.balances.set(index, Scenario.withValue(out, Scenario.BALANCES.encode(altered)));
  }

  private static BalanceUpdate decodeBalance(byte[] value) {
    try {
      return Scenario.BALANCES.decode(value);
    } catch (tally.connectors.avro.UndecodableException e) {
      throw new AssertionError(e);
    }
  }

  private static OverdraftAlert decodeAlert(byte[] value) {
    try {
      return Scenario.ALERTS.decode(value);
    } catch (tally.connectors.avro.UndecodableException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertCounts(
      OutputCounts counts, long found, long lost, long duplicated, long mismatched) {
    assertThat(counts.found()).as(counts.output() + " found").isEqualTo(found);
    assertThat(counts.lost()).as(counts.output() + " lost").isEqualTo(lost);
    assertThat(counts.duplicated()).as(counts.output() + " duplicated").isEqualTo(duplicated);
    assertThat(counts.mismatched()).as(counts.output() + " mismatched").isEqualTo(mismatched);
  }
}
