package tally.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Size-limited broker disks for real: a loop-mounted ext4 that fills up and gets space back. */
class BrokerDisksTest {
  @TempDir Path dir;

  private BrokerDisks disks;

  @AfterEach
  void unmount() {
    if (disks != null) {
      disks.unmountAll();
    }
  }

  @Test
  void aDiskFillsToTheLastBlockAndGetsItsSpaceBackAndKeepsItsDataAcrossMounts() throws Exception {
    assumeTrue(BrokerDisks.unavailableReason().isEmpty(), "needs root and loop devices");
    ClusterLayout layout = new ClusterLayout(dir);
    disks = new BrokerDisks(layout);

    assertThat(disks.mount(1)).isTrue();
    assertThat(disks.has(1)).isTrue();
    Path data = layout.brokerDataDir(1);
    Files.writeString(data.resolve("meta.properties"), "node.id=1\n");
    assertThat(disks.usableBytes(1)).isGreaterThan(BrokerDisks.SIZE_BYTES / 2);

    disks.fill(1);
    assertThat(disks.usableBytes(1)).isLessThan(1 << 20);
    assertThatThrownBy(() -> Files.write(data.resolve("segment"), new byte[4 << 20]))
        .hasMessageContaining("No space left on device");

    disks.free(1);
    assertThat(disks.usableBytes(1)).isGreaterThan(BrokerDisks.SIZE_BYTES / 2);

    disks.unmountAll();
    assertThat(data.resolve("meta.properties")).doesNotExist(); // on the image, not the work dir
    assertThat(disks.mount(1)).isTrue();
    assertThat(data.resolve("meta.properties")).hasContent("node.id=1\n");
  }

  @Test
  void aDataDirWithDataFromBeforeDisksIsLeftAsItIs() throws Exception {
    assumeTrue(BrokerDisks.unavailableReason().isEmpty(), "needs root and loop devices");
    ClusterLayout layout = new ClusterLayout(dir);
    disks = new BrokerDisks(layout);
    Files.createDirectories(layout.brokerDataDir(2));
    Files.writeString(layout.brokerDataDir(2).resolve("meta.properties"), "node.id=2\n");

    assertThat(disks.mount(2)).isFalse();
    assertThat(disks.has(2)).isFalse();
    assertThatThrownBy(() -> disks.fill(2)).hasMessageContaining("no disk of its own");
  }
}
