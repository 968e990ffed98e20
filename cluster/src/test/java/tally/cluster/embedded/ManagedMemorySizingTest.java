package tally.cluster.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;

/** The local TaskManager's managed memory (RocksDB) grows with its slots, within the machine. */
class ManagedMemorySizingTest {
  private static final long GIB = 1L << 30;

  @Test
  void givesEachSlotItsShareOnAMachineWithRoom() {
    assertThat(FlinkMiniCluster.managedMemory(2, 24 * GIB)).isEqualTo(MemorySize.parse("512m"));
    assertThat(FlinkMiniCluster.managedMemory(4, 24 * GIB)).isEqualTo(MemorySize.parse("1g"));
  }

  @Test
  void takesAtMostAnEighthOfASmallMachineButNeverLessThanFlinksLocalDefault() {
    assertThat(FlinkMiniCluster.managedMemory(4, 4 * GIB)).isEqualTo(MemorySize.parse("512m"));
    assertThat(FlinkMiniCluster.managedMemory(2, GIB / 2)).isEqualTo(MemorySize.parse("128m"));
  }

  @Test
  void theClusterConfigurationCarriesIt() {
    assertThat(
            FlinkMiniCluster.clusterConfiguration(2, Path.of("/tmp/tally-mini"))
                .get(TaskManagerOptions.MANAGED_MEMORY_SIZE))
        .isEqualTo(FlinkMiniCluster.managedMemory(2));
  }
}
