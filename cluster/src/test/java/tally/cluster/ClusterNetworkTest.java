package tally.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's own network for real: namespaces, the bridge, a cut that drops packets between two
 * namespaces and heals, a throttle that comes and goes. Needs root and iproute2 (as CI has).
 */
class ClusterNetworkTest {
  @TempDir Path dir;

  private ClusterNetwork network;
  private Process server;

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.destroyForcibly();
    }
    if (network != null) {
      network.delete();
    }
  }

  @Test
  void planNamesEveryProcessAndGivesEachAnAddressOnOnePrivateSubnet() {
    assumeTrue(ClusterNetwork.unavailableReason().isEmpty(), "needs root and network namespaces");
    ClusterNetwork planned =
        ClusterNetwork.plan(new ClusterLayout(dir), ProcessCluster.processNames());

    assertThat(planned.addresses()).hasSize(8);
    assertThat(planned.address("zookeeper")).isEqualTo(planned.subnet() + ".10");
    assertThat(planned.address("jobmanager-2")).isEqualTo(planned.subnet() + ".15");
    assertThat(planned.address("taskmanager-2")).isEqualTo(planned.subnet() + ".17");
    assertThat(planned.subnet()).matches("10\\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\\.\\d+");
    assertThat(planned.wrap("kafka-1", List.of("java", "-version")))
        .containsExactly("ip", "netns", "exec", planned.namespace("kafka-1"), "java", "-version");
    assertThat(planned.namespace("kafka-1")).startsWith("tally-" + planned.id());
  }

  @Test
  void aCutDropsTrafficBetweenTwoProcessesUntilItHeals() throws Exception {
    assumeTrue(ClusterNetwork.unavailableReason().isEmpty(), "needs root and network namespaces");
    assumeTrue(ClusterNetwork.canPartition(), "needs nftables");
    network = ClusterNetwork.plan(new ClusterLayout(dir), List.of("server", "client", "other"));
    network.create();
    assertThat(network.exists()).isTrue();
    if (Files.exists(ClusterNetwork.TCP_RTO_MAX_SYSCTL)) {
      // A link that heals is used again within the cap, not after TCP's backed-off resend.
      for (String process : List.of("server", "client", "other")) {
        assertThat(network.tcpRtoMaxMillis(process)).contains(ClusterNetwork.TCP_RTO_MAX_MILLIS);
      }
    }
    startServer();

    assertThat(reaches("client")).isTrue();
    network.cut("client", List.of("server"));
    assertThat(network.isCut("client")).isTrue();
    assertThat(reaches("client")).isFalse();
    assertThat(reaches("other")).isTrue(); // only the named link is cut

    network.heal("client");
    assertThat(network.isCut("client")).isFalse();
    assertThat(reaches("client")).isTrue();
  }

  @Test
  void aThrottleComesAndGoesAndDeleteRemovesEverything() throws Exception {
    assumeTrue(ClusterNetwork.unavailableReason().isEmpty(), "needs root and network namespaces");
    network = ClusterNetwork.plan(new ClusterLayout(dir), List.of("server", "client"));
    network.create();
    startServer();

    network.throttle("server", 512, 300);
    assertThat(network.isThrottled("server")).isTrue();
    assertThat(reaches("client")).isTrue(); // slow, not cut
    network.unthrottle("server");
    assertThat(network.isThrottled("server")).isFalse();

    network.delete();
    assertThat(network.exists()).isFalse();
    network = null;
  }

  /** The test's server, listening in the "server" namespace on its address. */
  private void startServer() throws Exception {
    Path source = Path.of(getClass().getResource("/network/EchoServer.java").toURI());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    server =
        new ProcessBuilder(
                network.wrap(
                    "server", List.of(java, source.toString(), network.address("server"), "4711")))
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("listening");
  }

  /** Whether a TCP connection from {@code process}'s namespace to the server succeeds in 3 s. */
  private boolean reaches(String process) throws Exception {
    List<String> command =
        new ArrayList<>(
            network.wrap(
                process,
                List.of(
                    "timeout",
                    "3",
                    "bash",
                    "-c",
                    "exec 3<>/dev/tcp/" + network.address("server") + "/4711 && head -c1 <&3")));
    Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(probe.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return probe.exitValue() == 0;
  }
}
