package tally.chaos;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tally.chaos.Timeline.Sample;

/**
 * {@value Timeline#PNG}: the input rate (left axis) and the output lag (right axis) over the
 * measured minutes, each fault shaded from its injection until output flowed again and labelled
 * with its kind.
 */
final class TimelineChart {
  private static final int WIDTH = 1200;
  private static final int HEIGHT = 560;
  private static final Color BAND = new Color(220, 60, 60, 60);

  private TimelineChart() {}

  /**
   * A fault on the chart's minute scale.
   *
   * @param untilMinutes when output flowed again; the end of the chart if it never did
   */
  record FaultBand(String label, double fromMinutes, double untilMinutes) {
    static FaultBand of(FaultRecord fault, Instant measureStartedAt, double endMinutes) {
      double from = minutes(Duration.between(measureStartedAt, fault.injectedAt()).toMillis());
      double until =
          fault.outputFlowingMillis() < 0
              ? Math.max(from, endMinutes)
              : from + minutes(fault.outputFlowingMillis());
      return new FaultBand(fault.kind().cliName(), from, until);
    }

    private static double minutes(long millis) {
      return millis / 60_000.0;
    }
  }

  static void write(String title, List<Sample> samples, List<FaultBand> faults, Path png)
      throws IOException {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("a timeline chart needs at least one sample");
    }
    System.setProperty("java.awt.headless", "true");
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("minutes since the measurement started")
            .yAxisTitle("input (transactions/s)")
            .build();
    double[] minutes = samples.stream().mapToDouble(s -> s.elapsedSeconds() / 60).toArray();
    double[] rate = samples.stream().mapToDouble(Sample::inputRate).toArray();
    double[] lag = samples.stream().mapToDouble(Sample::outputLagSeconds).toArray();
    double top =
        Math.max(1, samples.stream().mapToDouble(Sample::inputRate).max().orElse(1)) * 1.15;
    addFaultBands(chart, faults, top);

    XYSeries input = chart.addSeries("input rate (transactions/s)", minutes, rate);
    input.setMarker(SeriesMarkers.NONE);
    input.setLineColor(new Color(40, 90, 180));
    XYSeries output = chart.addSeries("output lag (s, right axis)", minutes, lag);
    output.setMarker(SeriesMarkers.NONE);
    output.setLineColor(new Color(230, 130, 20));
    output.setYAxisGroup(1);
    chart.setYAxisGroupTitle(0, "input (transactions/s)");
    chart.setYAxisGroupTitle(1, "output lag (s)");
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
    chart.getStyler().setYAxisMin(0, 0.0);
    chart.getStyler().setYAxisMax(0, top);
    chart.getStyler().setYAxisMin(1, 0.0);
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisDecimalPattern("#,##0.#");
    chart.getStyler().setYAxisDecimalPattern("#,##0.#");
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setAnnotationTextFontColor(new Color(150, 30, 30));
    Files.createDirectories(png.toAbsolutePath().getParent());
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /**
   * Each fault an area series on the rate axis (XChart 3.8 has no shaded-range annotation), only
   * the first in the legend, and its kind as a text annotation above it, on alternating heights so
   * that neighbours do not overlap.
   */
  private static void addFaultBands(XYChart chart, List<FaultBand> faults, double top) {
    for (int i = 0; i < faults.size(); i++) {
      FaultBand fault = faults.get(i);
      // At least a pixel or so wide: a 2-second recovery on a 30-minute chart is still visible.
      double until = Math.max(fault.untilMinutes(), fault.fromMinutes() + 0.01);
      XYSeries band =
          chart.addSeries(
              i == 0 ? "faults: injection until output flowed again" : "fault " + (i + 1),
              new double[] {fault.fromMinutes(), until},
              new double[] {top, top});
      band.setXYSeriesRenderStyle(XYSeriesRenderStyle.Area);
      band.setMarker(SeriesMarkers.NONE);
      band.setFillColor(BAND);
      band.setLineColor(BAND);
      band.setShowInLegend(i == 0);
      double labelHeight = top * (i % 2 == 0 ? 0.96 : 0.90);
      chart.addAnnotation(
          new AnnotationText(fault.label(), (fault.fromMinutes() + until) / 2, labelHeight, false));
    }
  }
}
