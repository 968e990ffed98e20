package tally.bench;

import java.util.List;

/** The report's section on latency against the checkpoint interval. */
final class IntervalSweepSection {
  private IntervalSweepSection() {}

  static String markdown(BenchResults results, List<String> images) {
    List<IntervalSweep.Point> points = results.sweep();
    if (points.isEmpty()) {
      return "";
    }
    BenchSettings s = results.settings();
    double rate = points.get(0).run().latencyRate();
    StringBuilder md = new StringBuilder("## Latency against the checkpoint interval\n\n");
    md.append(
        "Exactly-once output becomes visible to `read_committed` readers when the checkpoint that"
            + " covers it completes, so the interval sets a floor under latency and each"
            + " checkpoint costs throughput. One exactly-once run per interval: throughput catching"
            + " up with a fresh backlog of "
            + Format.integer(s.sweepRecords())
            + " transactions"
            + (s.sweepRecords() < s.records()
                ? " (smaller than the main runs' "
                    + Format.integer(s.records())
                    + ", to keep the"
                    + " bench's time reasonable; records/s is taken between 10 % and 90 % of it)"
                : "")
            + ", then latency for "
            + s.latencyDuration().toSeconds()
            + " s at "
            + Format.integer(rate)
            + " records/s (half the first main run's maximum), measured as in the main"
            + " runs.\n\n");
    md.append("| checkpoint interval | records/s | latency p50 / p99 / max | p99 − interval |\n");
    md.append("|---:|---:|---:|---:|\n");
    for (IntervalSweep.Point point : points) {
      var l = point.run().latencyMillis();
      long interval = point.interval().toMillis();
      md.append("| ")
          .append(Format.millis(interval))
          .append(" | ")
          .append(Format.integer(point.run().throughput().recordsPerSecond()))
          .append(" | ")
          .append(
              l.count() == 0
                  ? "-"
                  : Format.millis(l.p50())
                      + " / "
                      + Format.millis(l.p99())
                      + " / "
                      + Format.millis(l.max()))
          .append(" | ")
          .append(
              l.count() == 0
                  ? "-"
                  : String.format(java.util.Locale.ROOT, "%,d ms", l.p99() - interval))
          .append(" |\n");
    }
    md.append('\n');
    StateGrowthSection.image(
        md,
        images,
        StateSweepCharts.LATENCY_SWEEP,
        "Latency and throughput vs checkpoint interval");
    return md.toString();
  }
}
