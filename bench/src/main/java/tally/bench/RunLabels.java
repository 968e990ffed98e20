package tally.bench;

/** How runs are named in logs and the report. */
final class RunLabels {
  private RunLabels() {}

  static String variant(RunSpec spec) {
    return switch (spec.topology()) {
      case CURRENT -> "";
      case BEFORE_TUNING -> "(before tuning)";
    };
  }

  static String shortName(RunSpec spec) {
    String name =
        switch (spec.kind()) {
          case EXACTLY_ONCE -> "exactly-once";
          case AT_LEAST_ONCE -> "at-least-once";
          case NONE -> "none";
          case PLAIN_COPY -> "plain copy";
        };
    return switch (spec.topology()) {
      case CURRENT -> name;
      case BEFORE_TUNING -> name + " (before tuning)";
    };
  }
}
