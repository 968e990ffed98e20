package tally.bench;

import java.util.Locale;

/** Number formatting for logs and the report. */
final class Format {
  private Format() {}

  static String integer(double value) {
    return String.format(Locale.ROOT, "%,.0f", value);
  }

  static String decimal(double value, int digits) {
    return String.format(Locale.ROOT, "%." + digits + "f", value);
  }

  static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
  }

  static String mib(long bytes) {
    return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  static String millis(long millis) {
    return millis < 0 ? "-" : String.format(Locale.ROOT, "%,d ms", millis);
  }
}
