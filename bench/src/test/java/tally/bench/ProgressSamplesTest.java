package tally.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProgressSamplesTest {

  @Test
  void throughputIsTakenBetweenTenAndNinetyPercentOfTheBacklog() {
    ProgressSamples samples = new ProgressSamples();
    // Slow start (0..100 records in 1 s), then 1,000 records/s, CPU 0.5 s per second.
    samples.add(new ProgressSamples.Sample(0, 0, 0, 0));
    samples.add(new ProgressSamples.Sample(1_000_000_000L, 100, 900_000_000L, 0));
    for (int s = 2; s <= 11; s++) {
      samples.add(
          new ProgressSamples.Sample(
              s * 1_000_000_000L,
              100 + (s - 1) * 1_000L,
              900_000_000L + (s - 1) * 500_000_000L,
              (s - 1) * 100_000_000L));
    }

    ProgressSamples.Throughput throughput = samples.steady(10_000);

    assertThat(throughput.recordsPerSecond()).isCloseTo(1_000, within(1.0));
    assertThat(throughput.recordsPerCpuSecond()).isCloseTo(2_000, within(1.0));
    assertThat(throughput.processCores()).isCloseTo(0.5, within(0.001));
    assertThat(throughput.brokerCores()).isCloseTo(0.1, within(0.001));
  }

  @Test
  void aBacklogFasterThanTheSamplingFallsBackToTheWholeRun() {
    ProgressSamples samples = new ProgressSamples();
    samples.add(new ProgressSamples.Sample(0, 0, 0, -1));
    samples.add(new ProgressSamples.Sample(100_000_000L, 0, 10_000_000L, -1));
    samples.add(new ProgressSamples.Sample(200_000_000L, 500, 60_000_000L, -1));

    ProgressSamples.Throughput throughput = samples.steady(500);

    assertThat(throughput.recordsPerSecond()).isCloseTo(5_000, within(1.0));
    assertThat(throughput.brokerCores()).isEqualTo(-1);
  }

  @Test
  void percentilesAreNearestRank() {
    long[] values = new long[100];
    for (int i = 0; i < 100; i++) {
      values[i] = 100 - i; // 100 .. 1, unsorted
    }
    Distribution distribution = Distribution.of(values);
    assertThat(distribution.p50()).isEqualTo(50);
    assertThat(distribution.p99()).isEqualTo(99);
    assertThat(distribution.max()).isEqualTo(100);
    assertThat(Distribution.of(new long[0]).p50()).isEqualTo(-1);
  }
}
