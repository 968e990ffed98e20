package tally.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.chaos.Timeline.Sample;
import tally.chaos.TimelineChart.FaultBand;

class TimelineTest {

  private static final long SECOND = 1_000_000_000L;

  /** Ten minutes at 200/s with two outages: lag grows while a fault is unrecovered. */
  private static List<Sample> tenMinutes() {
    long start = 5 * SECOND;
    Timeline timeline = new Timeline(start, 1_000);
    for (int s = 1; s <= 600; s++) {
      boolean outage = (s >= 120 && s < 135) || (s >= 400 && s < 450);
      long lagSeconds = outage ? (s % 100) : 1;
      timeline.sample(
          start + s * SECOND, 1_000 + 200L * s, Duration.ofSeconds(lagSeconds), lagSeconds <= 5);
    }
    return timeline.samples();
  }

  @Test
  void eachSampleHasTheRateSinceThePreviousOne() {
    Timeline timeline = new Timeline(0, 100);
    timeline.sample(SECOND, 300, Duration.ZERO, true);
    timeline.sample(3 * SECOND, 700, Duration.ofMillis(6_500), false);

    assertThat(timeline.samples())
        .containsExactly(
            new Sample(1.0, 300, 200.0, 0.0, true), new Sample(3.0, 700, 200.0, 6.5, false));
  }

  @Test
  void theCsvHasAHeaderAndOneRowPerSample(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve(Timeline.CSV);

    Timeline.writeCsv(tenMinutes(), csv);

    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(601);
    assertThat(lines.get(0)).isEqualTo(Timeline.CSV_HEADER);
    assertThat(lines.get(1)).isEqualTo("1.000,1200,200.0,1.000,true");
    assertThat(lines.get(125)).endsWith(",25.000,false");
  }

  @Test
  void theChartIsAPng(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("run").resolve(Timeline.PNG);
    Instant measureStart = Instant.parse("2026-12-01T10:00:00Z");
    List<FaultBand> faults =
        List.of(
            FaultBand.of(
                fault(1, FaultKind.TM_KILL, measureStart.plusSeconds(120), 15_000),
                measureStart,
                10),
            FaultBand.of(
                fault(2, FaultKind.JM_KILL, measureStart.plusSeconds(400), -1), measureStart, 10));

    TimelineChart.write("soak", tenMinutes(), faults, png);

    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes.length).isGreaterThan(1_000);
    assertThat(bytes).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
  }

  @Test
  void aFaultBandRunsFromInjectionUntilOutputFlowedOrTheEnd() {
    Instant measureStart = Instant.parse("2026-12-01T10:00:00Z");

    assertThat(
            FaultBand.of(
                fault(1, FaultKind.TM_KILL, measureStart.plusSeconds(120), 30_000),
                measureStart,
                10))
        .isEqualTo(new FaultBand("tm-kill", 2.0, 2.5));
    assertThat(
            FaultBand.of(
                fault(2, FaultKind.TM_HANG, measureStart.plusSeconds(480), -1), measureStart, 10))
        .isEqualTo(new FaultBand("tm-hang", 8.0, 10.0));
  }

  private static FaultRecord fault(int n, FaultKind kind, Instant injectedAt, long flowingMillis) {
    return new FaultRecord(
        n,
        kind,
        "target",
        injectedAt,
        500,
        flowingMillis,
        flowingMillis,
        flowingMillis >= 0,
        1,
        "");
  }
}
