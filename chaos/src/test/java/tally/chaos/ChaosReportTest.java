package tally.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tally.testkit.audit.AuditReport;
import tally.testkit.audit.OutputCounts;

class ChaosReportTest {

  private static FaultRecord fault(
      int n, FaultKind kind, long detected, long flowing, boolean recovered) {
    return new FaultRecord(
        n,
        kind,
        "target-" + n,
        Instant.parse("2026-11-23T19:00:00Z").plusSeconds(60L * n),
        detected,
        flowing,
        flowing,
        recovered,
        1,
        "");
  }

  private static AuditReport audit(long lost, long duplicated) {
    return new AuditReport(
        "t",
        1000,
        10,
        Map.of(),
        new OutputCounts("balances", 900, 900 - lost + duplicated, lost, duplicated, 0, List.of()),
        new OutputCounts("alerts", 50, 50, 0, 0, 0, List.of()),
        new OutputCounts("dlq", 40, 40, 0, 0, 0, List.of()),
        false,
        Duration.ofSeconds(1),
        List.of());
  }

  private static ChaosReport report(List<FaultRecord> faults, AuditReport audit, String abort) {
    return report(faults, audit, abort, List.of(), List.of());
  }

  private static ChaosReport report(
      List<FaultRecord> faults,
      AuditReport audit,
      String abort,
      List<JobFailover> failoversWithoutFault,
      List<String> files) {
    return new ChaosReport(
        "chaos-1",
        "job",
        Instant.EPOCH,
        Duration.ofMinutes(5),
        Map.of("count", faults.size()),
        faults,
        1000,
        audit,
        0.95,
        Duration.ofMinutes(4),
        Duration.ofSeconds(12),
        Duration.ofSeconds(5),
        abort,
        failoversWithoutFault,
        SinkCommitLog.NONE,
        files);
  }

  @Test
  void recoveryFiguresPerKindAreMedianAndMaxOfTheRecoveredFaults() {
    ChaosReport report =
        report(
            List.of(
                fault(1, FaultKind.TM_KILL, 3000, 12000, true),
                fault(2, FaultKind.TM_KILL, 2000, 10000, true),
                fault(3, FaultKind.JM_KILL, 20000, 40000, true),
                fault(4, FaultKind.TM_KILL, 1000, 30000, true)),
            audit(0, 0),
            null);

    ChaosReport.Figures tm = report.figures().get("tm-kill");
    assertThat(tm.count()).isEqualTo(3);
    assertThat(tm.recoveryMedianMillis()).isEqualTo(12000);
    assertThat(tm.recoveryMaxMillis()).isEqualTo(30000);
    assertThat(tm.detectedMedianMillis()).isEqualTo(2000);
    ChaosReport.Figures all = report.figures().get("all");
    assertThat(all.recoveryMedianMillis()).isEqualTo((12000 + 30000) / 2);
    assertThat(all.recoveryMaxMillis()).isEqualTo(40000);
    assertThat(report.passed()).isTrue();
    assertThat(report.toText()).contains("CHAOS PASSED").contains("tm-kill").contains("95.0 %");
  }

  @Test
  void failsWhenAFaultDidNotRecoverOrTheAuditFoundSomething() {
    assertThat(
            report(
                    List.of(fault(1, FaultKind.TM_HANG, 8000, -1, false)),
                    audit(0, 0),
                    "fault 1 did not recover")
                .verdict())
        .startsWith("CHAOS FAILED")
        .contains("did not recover");
    ChaosReport dirty =
        report(List.of(fault(1, FaultKind.TM_KILL, 1000, 9000, true)), audit(2, 3), null);
    assertThat(dirty.passed()).isFalse();
    assertThat(dirty.verdict()).contains("2 lost, 3 duplicated, 0 mismatched");
    assertThat(report(List.of(), null, null).passed()).isFalse();
  }

  @Test
  void theJsonHasTheFiguresAndTotals() throws Exception {
    ChaosReport report =
        report(List.of(fault(1, FaultKind.BROKER_KILL, 6000, 8000, true)), audit(0, 0), null);

    JsonNode json = new ObjectMapper().readTree(report.toJson());

    assertThat(json.path("passed").asBoolean()).isTrue();
    assertThat(json.path("faults").get(0).path("kind").asText()).isEqualTo("broker-kill");
    assertThat(json.path("faults").get(0).path("outputFlowingMillis").asLong()).isEqualTo(8000);
    assertThat(json.path("recovery").path("broker-kill").path("recoveryMaxMillis").asLong())
        .isEqualTo(8000);
    assertThat(json.path("totals").path("lost").asLong()).isZero();
    assertThat(json.path("availability").path("ratio").asDouble()).isEqualTo(0.95);
    assertThat(json.path("audit").path("clean").asBoolean()).isTrue();
  }

  @Test
  void detectionAndRecoveryMaximaMeansAndTheMttr() {
    ChaosReport report =
        report(
            List.of(
                fault(1, FaultKind.TM_KILL, 3000, 12000, true),
                fault(2, FaultKind.TM_KILL, 9000, 10000, true),
                fault(3, FaultKind.JM_KILL, 20000, 41000, true),
                fault(4, FaultKind.TM_HANG, 8000, -1, false)),
            audit(0, 0),
            null);

    ChaosReport.Figures tm = report.figures().get("tm-kill");
    assertThat(tm.detectedMaxMillis()).isEqualTo(9000);
    assertThat(tm.recoveryMeanMillis()).isEqualTo(11000);
    assertThat(report.figures().get("tm-hang").recoveryMeanMillis()).isEqualTo(-1);
    // Over the recovered faults: (12 + 10 + 41) / 3 s.
    assertThat(report.mttrMillis()).isEqualTo(21000);
    assertThat(report.toText())
        .contains("detected (max)")
        .contains("MTTR: 21.0 s (mean recovery time of the 3 recovered fault(s))");
    assertThat(report(List.of(), audit(0, 0), null).mttrMillis()).isEqualTo(-1);
  }

  @Test
  void theDataLossRateIsLostPerGeneratedAndPrintedEvenWhenZero() throws Exception {
    ChaosReport clean = report(List.of(), audit(0, 1), null);
    ChaosReport lossy = report(List.of(), audit(3, 0), null);

    assertThat(clean.dataLossRate()).isZero();
    assertThat(clean.toText())
        .contains("Data loss: rate 0 (0 lost / 1,000 generated); 1 duplicated");
    assertThat(lossy.dataLossRate()).isEqualTo(0.003);
    assertThat(lossy.toText()).contains("Data loss: rate 0.003 (3 lost / 1,000 generated)");
    assertThat(ChaosReport.fraction(1.0 / 51_174)).isEqualTo("0.0000195");
    JsonNode totals = new ObjectMapper().readTree(lossy.toJson()).path("totals");
    assertThat(totals.path("dataLossRate").asDouble()).isEqualTo(0.003);
    assertThat(totals.path("duplicated").asLong()).isZero();
    assertThat(report(List.of(), null, null).toText()).contains("Data loss: unknown (no audit)");
  }

  @Test
  void failoversWithoutAFaultAreWarnedAboutButDoNotFailTheRun() throws Exception {
    List<JobFailover> unexplained =
        List.of(
            new JobFailover(
                Instant.parse("2026-11-23T19:03:30Z"),
                "org.apache.flink.util.FlinkException: Disconnect from JobManager"),
            new JobFailover(Instant.parse("2026-11-23T19:09:00Z"), "java.lang.RuntimeException"));
    ChaosReport report =
        report(
            List.of(fault(1, FaultKind.TM_KILL, 1000, 9000, true)),
            audit(0, 0),
            null,
            unexplained,
            List.of(Timeline.CSV, Timeline.PNG));

    assertThat(report.passed()).isTrue();
    assertThat(report.toText())
        .contains("Failovers without a fault: 2")
        .contains("WARNING: the job failed over 2 time(s) without an injected fault")
        .contains("FlinkException: Disconnect from JobManager")
        .contains("Files next to report.json: timeline.csv, timeline.png");
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.path("failoversWithoutFault").path("count").asInt()).isEqualTo(2);
    assertThat(json.path("failoversWithoutFault").path("graceMillis").asLong()).isEqualTo(30_000);
    assertThat(json.path("failoversWithoutFault").path("failovers").get(0).path("at").asText())
        .isEqualTo("2026-11-23T19:03:30Z");
    assertThat(
            json.path("failoversWithoutFault").path("failovers").get(1).path("exception").asText())
        .isEqualTo("java.lang.RuntimeException");
    assertThat(json.path("files"))
        .extracting(JsonNode::asText)
        .containsExactly("timeline.csv", "timeline.png");
    assertThat(json.path("mttrMillis").asLong()).isEqualTo(9000);
    assertThat(json.path("recovery").path("tm-kill").path("detectedMaxMillis").asLong())
        .isEqualTo(1000);
    assertThat(json.path("recovery").path("all").path("recoveryMeanMillis").asLong())
        .isEqualTo(9000);
  }

  @Test
  void withoutFailoversWithoutAFaultThereIsNoWarning() throws Exception {
    ChaosReport report =
        report(List.of(fault(1, FaultKind.TM_KILL, 1000, 9000, true)), audit(0, 0), null);

    assertThat(report.toText()).contains("Failovers without a fault: 0").doesNotContain("WARNING");
    assertThat(
            new ObjectMapper()
                .readTree(report.toJson())
                .path("failoversWithoutFault")
                .path("count")
                .asInt())
        .isZero();
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(ChaosReport.median(List.of())).isEqualTo(-1);
    assertThat(ChaosReport.median(List.of(5L))).isEqualTo(5);
    assertThat(ChaosReport.median(List.of(1L, 3L, 10L, 20L))).isEqualTo(6);
  }
}
