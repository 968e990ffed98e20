package tally.bench;

import java.lang.management.ManagementFactory;

/** The machine's 1-minute load average: other work on the box skews every figure. */
final class LoadAverage {
  private LoadAverage() {}

  static double now() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
