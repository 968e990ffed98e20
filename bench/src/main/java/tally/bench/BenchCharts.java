package tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG figures, drawn with XChart from the measured results. */
final class BenchCharts {
  static final String THROUGHPUT = "img/throughput.png";
  static final String LATENCY = "img/latency.png";
  static final String STATE_GROWTH = "img/state-growth.png";

  private static final int WIDTH = 900;
  private static final int HEIGHT = 540;

  private BenchCharts() {}

  /** Writes the figures under {@code reportDir}; returns the relative paths written. */
  static List<String> write(BenchResults results, Path reportDir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(reportDir.resolve("img"));
    List<String> written = new ArrayList<>();
    save(throughput(results), reportDir, THROUGHPUT, written);
    if (results.runs().stream().anyMatch(run -> run.latencyMillis().count() > 0)) {
      save(latency(results), reportDir, LATENCY, written);
    }
    if (results.stateGrowth().size() > 1) {
      save(stateGrowth(results), reportDir, STATE_GROWTH, written);
    }
    return written;
  }

  private static CategoryChart throughput(BenchResults results) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(
                "Throughput catching up with "
                    + Format.integer(results.settings().records())
                    + " records")
            .yAxisTitle("input records")
            .build();
    List<String> names = new ArrayList<>();
    List<Number> perSecond = new ArrayList<>();
    List<Number> perCpuSecond = new ArrayList<>();
    for (RunResult run : BenchReport.sideBySide(results)) {
      names.add(BenchReport.shortName(run));
      perSecond.add(Math.round(run.throughput().recordsPerSecond()));
      perCpuSecond.add(Math.round(run.throughput().recordsPerCpuSecond()));
    }
    chart.addSeries("per second", names, perSecond);
    chart.addSeries("per CPU-second of the job's JVM", names, perCpuSecond);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setXAxisLabelRotation(30);
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
    chart.getStyler().setYAxisDecimalPattern("#,###");
    return chart;
  }

  private static XYChart latency(BenchResults results) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(
                "End-to-end latency at "
                    + Format.integer(
                        results.main(RunKind.EXACTLY_ONCE).map(RunResult::latencyRate).orElse(0.0))
                    + " records/s (produce to visible for read_committed)")
            .xAxisTitle("percentile")
            .yAxisTitle("latency (ms)")
            .build();
    for (RunResult run : BenchReport.sideBySide(results)) {
      Distribution latency = run.latencyMillis();
      if (latency.count() == 0) {
        continue;
      }
      double[] x = new double[101];
      double[] y = new double[101];
      for (int p = 0; p <= 100; p++) {
        x[p] = p;
        y[p] = latency.quantile(p / 100.0);
      }
      XYSeries series = chart.addSeries(BenchReport.shortName(run), x, y);
      series.setMarker(SeriesMarkers.NONE);
    }
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setYAxisDecimalPattern("#,###");
    return chart;
  }

  private static XYChart stateGrowth(BenchResults results) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(
                "Exactly-once as state grows ("
                    + Format.integer(results.settings().records())
                    + " records per run)")
            .xAxisTitle("accounts (log scale)")
            .yAxisTitle("checkpoint duration (ms)")
            .build();
    List<RunResult> points = results.stateGrowth();
    double[] accounts = points.stream().mapToDouble(run -> run.spec().accounts()).toArray();
    XYSeries p50 =
        chart.addSeries(
            "checkpoint p50 (ms)",
            accounts,
            points.stream().mapToDouble(run -> run.checkpoints().durationMillis().p50()).toArray());
    XYSeries p99 =
        chart.addSeries(
            "checkpoint p99 (ms)",
            accounts,
            points.stream().mapToDouble(run -> run.checkpoints().durationMillis().p99()).toArray());
    XYSeries throughput =
        chart.addSeries(
            "throughput (records/s, right axis)",
            accounts,
            points.stream().mapToDouble(run -> run.throughput().recordsPerSecond()).toArray());
    p50.setMarker(SeriesMarkers.CIRCLE);
    p99.setMarker(SeriesMarkers.DIAMOND);
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

  private static void save(Chart<?, ?> chart, Path reportDir, String relative, List<String> written)
      throws IOException {
    BitmapEncoder.saveBitmap(
        chart, reportDir.resolve(relative).toString(), BitmapEncoder.BitmapFormat.PNG);
    written.add(relative);
  }
}
