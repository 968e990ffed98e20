package tally.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerFilesTest {

  @TempDir Path dir;

  private final TallyHome home = TallyHome.locate();

  @Test
  void everyPartitionHasThreeReplicasAndAWriteNeedsTwo() {
    assertThat(KafkaBrokerFiles.sharedSettings(home))
        .containsEntry("default.replication.factor", "3")
        .containsEntry("min.insync.replicas", "2")
        .containsEntry("transaction.state.log.replication.factor", "3")
        .containsEntry("transaction.state.log.min.isr", "2")
        .containsEntry("offsets.topic.replication.factor", "3")
        .containsEntry("process.roles", "broker,controller")
        .doesNotContainKeys(KafkaBrokerFiles.NODE_KEYS.toArray(String[]::new));
  }

  @Test
  void aBrokersFileIsTheSharedOnePlusItsNodeSettingsAndFormats() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir);
    layout.createDirectories();

    KafkaBrokerFiles.write(2, home, layout, ClusterPorts.defaults());
    KafkaBrokerFiles.format(2, "MkU3OEVBNTcwNTJENDM2Qk", layout);

    Properties written = new Properties();
    try (Reader in = Files.newBufferedReader(layout.brokerConfig(2))) {
      written.load(in);
    }
    assertThat(written)
        .containsEntry("node.id", "2")
        .containsEntry("listeners", "PLAINTEXT://localhost:9093,CONTROLLER://localhost:9096")
        .containsEntry(
            "controller.quorum.voters", "1@localhost:9095,2@localhost:9096,3@localhost:9097")
        .containsEntry("min.insync.replicas", "2");
    assertThat(KafkaBrokerFiles.isFormatted(2, layout)).isTrue();
  }
}
