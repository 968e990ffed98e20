package tally.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.kafka.common.utils.AppInfoParser;

/** What the figures were measured on. */
record MachineInfo(
    String cpu, int cores, long memoryBytes, String os, String jvm, String flink, String kafka) {

  static MachineInfo current() {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new MachineInfo(
        cpuModel(),
        CpuClock.cores(),
        os.getTotalMemorySize(),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        EnvironmentInformation.getVersion(),
        AppInfoParser.getVersion());
  }

  private static String cpuModel() {
    try {
      return java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
