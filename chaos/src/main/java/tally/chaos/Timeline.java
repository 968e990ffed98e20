package tally.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a chaos run measured once a second, from the measurement's start: how much the generator had
 * sent, at what rate, and how far the visible output was behind. Kept in memory (a 30-minute soak
 * is 1,800 samples) and written as {@value #CSV} next to the report.
 */
final class Timeline {
  static final String CSV = "timeline.csv";
  static final String PNG = "timeline.png";
  static final String CSV_HEADER = "elapsed_s,generated,input_rate_per_s,output_lag_s,available";

  /**
   * @param inputRate transactions per second since the previous sample
   * @param outputLagSeconds age of the oldest transaction without a visible answer (0 if none)
   * @param available the lag was at most the run's lag threshold
   */
  record Sample(
      double elapsedSeconds,
      long generated,
      double inputRate,
      double outputLagSeconds,
      boolean available) {}

  private final long startNanos;
  private long previousNanos;
  private long previousGenerated;
  private final List<Sample> samples = new ArrayList<>();

  /** A timeline whose measurement started at {@code startNanos} (System.nanoTime). */
  Timeline(long startNanos, long generatedAtStart) {
    this.startNanos = startNanos;
    this.previousNanos = startNanos;
    this.previousGenerated = generatedAtStart;
  }

  /** Adds what was seen at {@code nanos}; the input rate is over the time since the last sample. */
  synchronized void sample(long nanos, long generated, Duration outputLag, boolean available) {
    double sinceLast = (nanos - previousNanos) / 1e9;
    double rate = sinceLast > 0 ? (generated - previousGenerated) / sinceLast : 0;
    samples.add(
        new Sample(
            (nanos - startNanos) / 1e9, generated, rate, outputLag.toNanos() / 1e9, available));
    previousNanos = nanos;
    previousGenerated = generated;
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  static void writeCsv(List<Sample> samples, Path file) throws IOException {
    List<String> lines = new ArrayList<>(samples.size() + 1);
    lines.add(CSV_HEADER);
    for (Sample s : samples) {
      lines.add(
          String.format(
              Locale.ROOT,
              "%.3f,%d,%.1f,%.3f,%b",
              s.elapsedSeconds(),
              s.generated(),
              s.inputRate(),
              s.outputLagSeconds(),
              s.available()));
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, lines, StandardCharsets.UTF_8);
  }
}
