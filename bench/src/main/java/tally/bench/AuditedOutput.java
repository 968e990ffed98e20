package tally.bench;

import java.time.Duration;
import tally.connectors.kafka.KafkaConnection;
import tally.jobs.common.Topics;
import tally.testkit.audit.AuditReport;
import tally.testkit.audit.AuditSettings;
import tally.testkit.audit.LedgerAudit;
import tally.testkit.audit.OutputCounts;

/**
 * What {@code tally audit} says about a run's output (the testkit's {@link LedgerAudit} over its
 * input and output topics), so that a speed-up cannot hide a loss: lost, duplicated and mismatched
 * records summed over balances, alerts and dead letters.
 */
record AuditedOutput(
    long inputRecords, long expected, long lost, long duplicated, long mismatched, String verdict) {

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  static AuditedOutput of(AuditReport report) {
    long expected = 0;
    long lost = 0;
    long duplicated = 0;
    long mismatched = 0;
    for (OutputCounts output : report.outputs()) {
      expected += output.expected();
      lost += output.lost();
      duplicated += output.duplicated();
      mismatched += output.mismatched();
    }
    return new AuditedOutput(
        report.inputRecords(), expected, lost, duplicated, mismatched, report.verdict());
  }

  /** Audits the ledger's outputs of {@code topics} on {@code kafka}. */
  static AuditedOutput audit(KafkaConnection kafka, Topics topics) {
    AuditSettings settings =
        new AuditSettings(kafka, topics, TIMEOUT, Duration.ZERO).withTopics(topics);
    return of(new LedgerAudit(settings).run());
  }

  boolean clean() {
    return lost == 0 && duplicated == 0 && mismatched == 0;
  }

  /** For the report's table. */
  String summary() {
    return clean()
        ? "clean (" + Format.integer(expected) + " outputs)"
        : "**FAILED**: "
            + lost
            + " lost, "
            + duplicated
            + " duplicated, "
            + mismatched
            + " mismatched";
  }
}
