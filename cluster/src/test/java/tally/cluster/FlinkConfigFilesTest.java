package tally.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkConfigFilesTest {

  @TempDir Path dir;

  private final TallyHome home = TallyHome.locate();

  @Test
  void theSharedFileLeavesEveryEnvironmentSpecificKeyOut() {
    assertThat(FlinkConfigFiles.sharedKeys(home))
        .doesNotContainAnyElementsOf(FlinkConfigFiles.ENVIRONMENT_KEYS)
        .contains(
            "high-availability.type",
            "heartbeat.timeout",
            "taskmanager.load-balance.mode",
            "state.backend.type");
  }

  @Test
  void theWrittenConfigurationIsTheSharedOnePlusThisMachinesSettings() {
    ClusterLayout layout = new ClusterLayout(dir);
    ClusterPorts ports = ClusterPorts.defaults();

    Configuration conf = FlinkConfigFiles.write(home, layout, ports);

    assertThat(conf.toMap())
        .containsEntry("high-availability.type", "zookeeper")
        .containsEntry("high-availability.zookeeper.quorum", "localhost:2181")
        .containsEntry("heartbeat.interval", "1s")
        .containsEntry("heartbeat.timeout", "6s")
        .containsEntry("taskmanager.numberOfTaskSlots", "2")
        .containsEntry("taskmanager.load-balance.mode", "SLOTS")
        .containsEntry("restart-strategy.exponential-delay.max-backoff", "10s")
        .containsEntry("rest.port", "8081")
        .containsEntry("execution.checkpointing.dir", layout.checkpointsDir().toUri().toString())
        .containsEntry(
            "execution.checkpointing.savepoint-dir", layout.savepointsDir().toUri().toString());
    assertThat(layout.flinkLog4j()).exists();
  }

  @Test
  void refusesASharedFileThatSetsAnEnvironmentSpecificKey() throws Exception {
    Path deploy = dir.resolve("repo/deploy/flink");
    Files.createDirectories(deploy);
    Files.writeString(deploy.resolve("config.yaml"), "heartbeat.timeout: 10s\nrest.port: 9999\n");

    assertThatThrownBy(
            () -> FlinkConfigFiles.requireNoEnvironmentKeys(deploy.resolve("config.yaml")))
        .hasMessageContaining("[rest.port]");
  }
}
