package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tally.cluster.embedded.FlinkMiniCluster;

/** {@code run}'s local cluster: Tally's cluster defaults, and the user's -D settings over them. */
class RunCommandTest {

  private static RunCommand.Ledger parse(String... args) {
    RunCommand.Ledger ledger = new RunCommand.Ledger();
    new CommandLine(ledger).parseArgs(args);
    return ledger;
  }

  @Test
  void withoutDynamicPropertiesTheLocalClusterHasTallysDefaults() {
    RunCommand.Ledger ledger = parse();
    Configuration conf = ledger.local.clusterConfiguration("j", ledger.job.runtime);
    assertThat(conf.get(TaskManagerOptions.MANAGED_MEMORY_SIZE))
        .isEqualTo(FlinkMiniCluster.managedMemory(2));
    assertThat(conf.toMap()).containsEntry("state.backend.rocksdb.use-bloom-filter", "true");
  }

  @Test
  void dynamicPropertiesWinOverTallysClusterDefaults() {
    RunCommand.Ledger ledger =
        parse(
            "-Dtaskmanager.memory.managed.size=1g",
            "-Dstate.backend.rocksdb.use-bloom-filter=false",
            "-D",
            "execution.checkpointing.interval=5 s");
    Configuration conf = ledger.local.clusterConfiguration("j", ledger.job.runtime);
    assertThat(conf.get(TaskManagerOptions.MANAGED_MEMORY_SIZE)).isEqualTo(MemorySize.parse("1g"));
    assertThat(conf.toMap()).containsEntry("state.backend.rocksdb.use-bloom-filter", "false");
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(java.time.Duration.ofSeconds(5));
    // The job fills in its safe default only where the platform left a gap.
    var interval = ledger.job.runtime.effective(conf).checkpointInterval();
    assertThat(interval.value()).isEqualTo(java.time.Duration.ofSeconds(5));
    assertThat(interval.source()).contains("cluster");
  }
}
