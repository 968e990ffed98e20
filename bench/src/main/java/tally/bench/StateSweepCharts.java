package tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The plots of the state-growth restores and of the latency sweep, drawn with XChart. */
final class StateSweepCharts {
  static final String STATE_RESTORE = "img/state-restore.png";
  static final String LATENCY_SWEEP = "img/latency-interval.png";

  private static final int WIDTH = 900;
  private static final int HEIGHT = 540;

  private StateSweepCharts() {}

  /** Writes the plots there are figures for; returns the relative paths written. */
  static List<String> write(BenchResults results, Path reportDir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<String> written = new ArrayList<>();
    List<RunResult> points =
        results.stateGrowth().stream()
            .filter(run -> run.checkpoints().fullStateBytes() > 0)
            .toList();
    if (!results.restores().isEmpty() && points.size() > 1) {
      save(stateRestore(results, points), reportDir, STATE_RESTORE, written);
    }
    if (results.sweep().stream().anyMatch(p -> p.run().latencyMillis().count() > 0)) {
      save(latencySweep(results), reportDir, LATENCY_SWEEP, written);
    }
    return written;
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  private static XYChart stateRestore(BenchResults results, List<RunResult> points) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title("Exactly-once: checkpoints and restores as state grows")
            .xAxisTitle("full state (MiB, log scale)")
            .yAxisTitle("checkpoint duration (ms)")
            .build();
    double[] state =
        points.stream().mapToDouble(r -> mib(r.checkpoints().fullStateBytes())).toArray();
    XYSeries p50 =
        chart.addSeries(
            "checkpoint p50 (ms)",
            state,
            points.stream().mapToDouble(r -> r.checkpoints().durationMillis().p50()).toArray());
    XYSeries p99 =
        chart.addSeries(
            "checkpoint p99 (ms)",
            state,
            points.stream().mapToDouble(r -> r.checkpoints().durationMillis().p99()).toArray());
    p50.setMarker(SeriesMarkers.CIRCLE);
    p99.setMarker(SeriesMarkers.DIAMOND);
    List<double[]> savepoint = new ArrayList<>();
    List<double[]> retained = new ArrayList<>();
    for (RunResult run : points) {
      if (!run.spec().label().equals("state")) {
        continue;
      }
      results
          .restore(run.spec().accounts())
          .ifPresent(
              r -> {
                double x = mib(run.checkpoints().fullStateBytes());
                if (r.fromSavepoint() != null) {
                  savepoint.add(new double[] {x, r.fromSavepoint().checkpointedSeconds()});
                }
                if (r.fromCheckpoint() != null) {
                  retained.add(new double[] {x, r.fromCheckpoint().checkpointedSeconds()});
                }
              });
    }
    addRestore(chart, "restore from savepoint (s, right axis)", savepoint, SeriesMarkers.SQUARE);
    addRestore(
        chart,
        "restore from retained checkpoint (s, right axis)",
        retained,
        SeriesMarkers.TRIANGLE_UP);
    chart.setYAxisGroupTitle(1, "restore until first checkpoint (s)");
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setXAxisDecimalPattern("#,###.#");
    chart.getStyler().setYAxisMin(0, 0.0);
    chart.getStyler().setYAxisMin(1, 0.0);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setYAxisDecimalPattern("#,###.#");
    return chart;
  }

  private static void addRestore(
      XYChart chart,
      String name,
      List<double[]> points,
      org.knowm.xchart.style.markers.Marker marker) {
    if (points.isEmpty()) {
      return;
    }
    XYSeries series =
        chart.addSeries(
            name,
            points.stream().mapToDouble(p -> p[0]).toArray(),
            points.stream().mapToDouble(p -> p[1]).toArray());
    series.setMarker(marker);
    series.setYAxisGroup(1);
  }

  private static XYChart latencySweep(BenchResults results) {
    List<IntervalSweep.Point> points =
        results.sweep().stream().filter(p -> p.run().latencyMillis().count() > 0).toList();
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(
                "Exactly-once: latency and throughput against the checkpoint interval ("
                    + Format.integer(points.get(0).run().latencyRate())
                    + " records/s)")
            .xAxisTitle("checkpoint interval (ms, log scale)")
            .yAxisTitle("latency, produce to visible (ms)")
            .build();
    double[] interval = points.stream().mapToDouble(p -> p.interval().toMillis()).toArray();
    XYSeries p50 =
        chart.addSeries(
            "latency p50 (ms)",
            interval,
            points.stream().mapToDouble(p -> p.run().latencyMillis().p50()).toArray());
    XYSeries p99 =
        chart.addSeries(
            "latency p99 (ms)",
            interval,
            points.stream().mapToDouble(p -> p.run().latencyMillis().p99()).toArray());
    XYSeries floor = chart.addSeries("interval (ms)", interval, interval);
    XYSeries throughput =
        chart.addSeries(
            "throughput (records/s, right axis)",
            interval,
            points.stream().mapToDouble(p -> p.run().throughput().recordsPerSecond()).toArray());
    p50.setMarker(SeriesMarkers.CIRCLE);
    p99.setMarker(SeriesMarkers.DIAMOND);
    floor.setMarker(SeriesMarkers.NONE);
    throughput.setMarker(SeriesMarkers.SQUARE);
    throughput.setYAxisGroup(1);
    chart.setYAxisGroupTitle(1, "records/s");
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setXAxisDecimalPattern("#,###");
    chart.getStyler().setYAxisMin(0, 0.0);
    chart.getStyler().setYAxisMin(1, 0.0);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setYAxisDecimalPattern("#,###");
    return chart;
  }

  private static void save(XYChart chart, Path reportDir, String relative, List<String> written)
      throws IOException {
    Files.createDirectories(reportDir.resolve("img"));
    BitmapEncoder.saveBitmap(
        chart, reportDir.resolve(relative).toString(), BitmapEncoder.BitmapFormat.PNG);
    written.add(relative);
  }
}
