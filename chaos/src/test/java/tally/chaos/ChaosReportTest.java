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
        abort);
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
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(ChaosReport.median(List.of())).isEqualTo(-1);
    assertThat(ChaosReport.median(List.of(5L))).isEqualTo(5);
    assertThat(ChaosReport.median(List.of(1L, 3L, 10L, 20L))).isEqualTo(6);
  }
}
