package tally.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * CPU time used so far by this JVM (where the MiniCluster runs the job) and by the broker's JVM (a
 * child process), to turn throughput into records per CPU-second.
 */
final class CpuClock {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final ProcessHandle broker;

  /**
   * @param brokerPid the broker JVM, or -1 when it is not a local process
   */
  CpuClock(long brokerPid) {
    this.broker = brokerPid > 0 ? ProcessHandle.of(brokerPid).orElse(null) : null;
  }

  long processNanos() {
    return os.getProcessCpuTime();
  }

  /** -1 when unknown. */
  long brokerNanos() {
    if (broker == null) {
      return -1;
    }
    return broker.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }
}
