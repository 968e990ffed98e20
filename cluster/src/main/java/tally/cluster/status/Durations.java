package tally.cluster.status;

/** Short human durations: 850 ms, 12.3 s, 4m 05s, 2h 03m, 3d 04h. */
final class Durations {
  private Durations() {}

  static String human(long millis) {
    if (millis < 0) {
      return "-";
    }
    if (millis < 1_000) {
      return millis + " ms";
    }
    long seconds = millis / 1_000;
    if (seconds < 60) {
      return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    if (seconds < 3_600) {
      return String.format(java.util.Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
    }
    if (seconds < 86_400) {
      return String.format(
          java.util.Locale.ROOT, "%dh %02dm", seconds / 3_600, (seconds % 3_600) / 60);
    }
    return String.format(
        java.util.Locale.ROOT, "%dd %02dh", seconds / 86_400, (seconds % 86_400) / 3_600);
  }

  static String bytes(long bytes) {
    if (bytes < 0) {
      return "-";
    }
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
