package tally.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Samples of (time, records processed, CPU used) taken while a run catches up with its backlog.
 * Throughput is measured on the steady part only, between 10 % and 90 % of the backlog: start-up
 * (deployment, RocksDB, first fetches) and the last checkpoint's tail stay out of the figure.
 */
final class ProgressSamples {
  static final double WINDOW_START = 0.10;
  static final double WINDOW_END = 0.90;

  record Sample(long nanos, long records, long processCpuNanos, long brokerCpuNanos) {}

  private final List<Sample> samples = new ArrayList<>();

  void add(Sample sample) {
    samples.add(sample);
  }

  Sample last() {
    return samples.isEmpty() ? null : samples.get(samples.size() - 1);
  }

  /** Throughput over the steady window of a backlog of {@code total} records. */
  Throughput steady(long total) {
    Sample from = firstReaching((long) (total * WINDOW_START));
    Sample to = firstReaching((long) (total * WINDOW_END));
    if (from == null || to == null || to.records() - from.records() < total / 2) {
      // A backlog too small for the sampling interval: use everything from the last idle sample.
      from = lastBelow(1);
      to = firstReaching(total);
    }
    if (from == null || to == null || to.nanos() <= from.nanos()) {
      throw new IllegalStateException(
          "too few progress samples to measure throughput (" + samples.size() + ")");
    }
    double seconds = (to.nanos() - from.nanos()) / 1e9;
    long records = to.records() - from.records();
    double processCpu = (to.processCpuNanos() - from.processCpuNanos()) / 1e9;
    double brokerCpu =
        from.brokerCpuNanos() < 0 ? -1 : (to.brokerCpuNanos() - from.brokerCpuNanos()) / 1e9;
    return new Throughput(
        records / seconds,
        records / processCpu,
        processCpu / seconds,
        brokerCpu < 0 ? -1 : brokerCpu / seconds,
        seconds);
  }

  private Sample lastBelow(long records) {
    Sample last = null;
    for (Sample sample : samples) {
      if (sample.records() < records) {
        last = sample;
      }
    }
    return last;
  }

  private Sample firstReaching(long records) {
    for (Sample sample : samples) {
      if (sample.records() >= records) {
        return sample;
      }
    }
    return null;
  }

  /**
   * @param recordsPerSecond input records processed per wall-clock second
   * @param recordsPerCpuSecond the same per CPU-second of the job's process (the bench JVM)
   * @param processCores CPU-seconds per second the job's process used (of {@link CpuClock#cores()})
   * @param brokerCores the same for the broker JVM, -1 if unknown
   */
  record Throughput(
      double recordsPerSecond,
      double recordsPerCpuSecond,
      double processCores,
      double brokerCores,
      double windowSeconds) {}
}
