package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import tally.cluster.BrokerDisks;
import tally.cluster.ClusterLayout;
import tally.cluster.ClusterNetwork;
import tally.cluster.ClusterState;
import tally.cluster.ProcessControl;
import tally.support.FileTrees;

/**
 * A no-Docker cluster for one test class, driven through the CLI as a user would: {@code cluster
 * up} in a temp work dir on free ports, {@code cluster down} at the end, after which no process of
 * the cluster may be left. Every process is stopped by pid, also when a test fails or the JVM is
 * interrupted.
 */
final class ProcessClusterFixture implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessClusterFixture.class);

  final Path workDir;
  final ClusterLayout layout;
  final ClusterState state;
  private final Thread cleanupOnExit;

  /** The outcome of one {@code bin/tally} command run in this JVM. */
  record Result(int exit, String out, String err) {
    String text() {
      return out + "\n" + err;
    }
  }

  private ProcessClusterFixture(Path workDir, Thread cleanupOnExit) {
    this.workDir = workDir;
    this.layout = new ClusterLayout(workDir);
    this.cleanupOnExit = cleanupOnExit;
    this.state = ClusterState.require(layout);
  }

  /** {@code cluster up --work-dir <temp> --free-ports [extra]}, then a healthy {@code status}. */
  static ProcessClusterFixture up(String... extraUpArgs) throws IOException {
    Path workDir = Files.createTempDirectory("tally-cluster-it-");
    ClusterLayout layout = new ClusterLayout(workDir);
    Thread cleanup = new Thread(() -> stopEverything(layout), "cluster-it-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    List<String> args =
        new ArrayList<>(List.of("cluster", "up", "--work-dir", workDir.toString(), "--free-ports"));
    args.addAll(List.of(extraUpArgs));
    Result up = tally(args.toArray(String[]::new));
    if (up.exit() != 0) {
      stopEverything(layout);
      FileTrees.deleteRecursively(workDir);
      throw new AssertionError("cluster up failed:\n" + up.text());
    }
    ProcessClusterFixture cluster = new ProcessClusterFixture(workDir, cleanup);
    cluster.assertHealthy("after cluster up");
    return cluster;
  }

  void assertHealthy(String when) {
    Result status = tally("cluster", "status", "--work-dir", workDir.toString());
    assertThat(status.out())
        .as("cluster status " + when + "\n" + status.text())
        .contains("CLUSTER HEALTHY");
  }

  static Result tally(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TallyCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** The fault kinds that need the cluster's own network. */
  static final List<String> NETWORK_FAULTS =
      List.of("partition-tm", "partition-broker", "partition-kafka", "slow-network");

  /**
   * Those of {@code kinds} this cluster can take: the network ones only when it has its own
   * network, disk-full only when its brokers have disks of their own (both need root, as CI has).
   */
  List<String> available(List<String> kinds) {
    List<String> available = new ArrayList<>();
    boolean disks = new BrokerDisks(layout).has(1);
    for (String kind : kinds) {
      if (NETWORK_FAULTS.contains(kind) && state.ownNetwork().isEmpty()) {
        LOG.warn("The cluster runs on loopback: {} is not injected", kind);
      } else if (kind.equals("disk-full") && !disks) {
        LOG.warn("The brokers have no disks of their own: disk-full is not injected");
      } else {
        available.add(kind);
      }
    }
    return available;
  }

  /**
   * {@code bin/tally chaos} with one fault of each of {@code kinds} on short timings; asserts the
   * run passed: every fault recovered, the audit found nothing lost, duplicated or mismatched.
   */
  JsonNode chaos(List<String> kinds) throws IOException {
    Result chaos =
        tally(
            "chaos",
            "--work-dir",
            workDir.toString(),
            "--faults",
            String.join(",", kinds),
            "--count",
            Integer.toString(kinds.size()),
            "--spacing",
            "3s",
            "--warm-up",
            "5s",
            "--restart-delay",
            "3s",
            // above the 6 s heartbeat timeout: the TaskManager is declared dead
            "--hang-duration",
            "10s",
            "--network-fault-duration",
            "10s",
            "--rate",
            "100",
            "--seed",
            "7");
    LOG.info("Chaos run:\n{}", chaos.out());
    assertThat(chaos.exit()).as(chaos.text()).isZero();
    String reportFile =
        chaos
            .out()
            .lines()
            .filter(line -> line.startsWith("Report: "))
            .findFirst()
            .map(line -> line.substring("Report: ".length()))
            .orElseThrow(() -> new AssertionError(chaos.text()));
    JsonNode report = new ObjectMapper().readTree(Path.of(reportFile).toFile());
    assertThat(report.path("passed").asBoolean()).isTrue();
    assertThat(report.path("totals").path("lost").asLong()).isZero();
    assertThat(report.path("totals").path("duplicated").asLong()).isZero();
    assertThat(report.path("totals").path("mismatched").asLong()).isZero();
    List<String> injected = new ArrayList<>();
    report
        .path("faults")
        .forEach(
            f -> {
              injected.add(f.path("kind").asText());
              assertThat(f.path("recovered").asBoolean()).as(f.toString()).isTrue();
            });
    assertThat(injected).containsExactlyInAnyOrderElementsOf(kinds);
    // Figures are printed, not asserted: they depend on the machine.
    LOG.info("Recovery figures: {}", report.path("recovery"));
    assertHealthy("after the chaos run (every process is back)");
    return report;
  }

  /**
   * The local addresses on which something listens on TCP {@code port} in this JVM's network
   * namespace, from {@code /proc/net/tcp} and {@code tcp6} (Linux): "127.0.0.1", "::1", "*" for
   * every interface, or the IPv4 address.
   */
  static List<String> listeningAddresses(int port) throws IOException {
    return listeningAddresses(Path.of("/proc/net"), port);
  }

  /** As above, in the network namespace of process {@code pid} (its own, in the own network). */
  static List<String> listeningAddresses(long pid, int port) throws IOException {
    return listeningAddresses(Path.of("/proc", Long.toString(pid), "net"), port);
  }

  private static List<String> listeningAddresses(Path procNet, int port) throws IOException {
    List<String> addresses = new ArrayList<>();
    String hexPort = String.format("%04X", port);
    for (String table : List.of("tcp", "tcp6")) {
      Path file = procNet.resolve(table);
      if (!Files.isReadable(file)) {
        continue;
      }
      List<String> lines = Files.readAllLines(file);
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        String[] local = fields[1].split(":");
        if (!fields[3].equals("0A") || !local[1].equals(hexPort)) { // 0A: LISTEN
          continue;
        }
        addresses.add(
            switch (local[0]) {
              case "0100007F", "0000000000000000FFFF00000100007F" -> "127.0.0.1";
              case "00000000000000000000000001000000" -> "::1";
              case "00000000", "00000000000000000000000000000000" -> "*";
              default ->
                  local[0].length() == 8
                      ? ipv4(local[0])
                      : local[0].startsWith("0000000000000000FFFF0000") // IPv4-mapped
                          ? ipv4(local[0].substring(24))
                          : local[0];
            });
      }
    }
    return addresses;
  }

  /** /proc/net/tcp's little-endian hex IPv4 ("0A00400A" -> "10.64.0.10"). */
  private static String ipv4(String hex) {
    int value = Integer.parseUnsignedInt(hex, 16);
    return (value & 0xff)
        + "."
        + (value >> 8 & 0xff)
        + "."
        + (value >> 16 & 0xff)
        + "."
        + (value >>> 24);
  }

  /** {@code cluster down}; asserts nothing of the cluster is left; deletes the work dir. */
  @Override
  public void close() throws IOException {
    try {
      Result down = tally("cluster", "down", "--work-dir", workDir.toString());
      assertThat(down.exit()).as(down.text()).isZero();
      assertThat(ProcessControl.strays(layout, List.of())).as("processes left behind").isEmpty();
      assertThat(Files.readString(Path.of("/proc/self/mounts")))
          .as("broker disks left mounted")
          .doesNotContain(workDir.toString());
      state
          .ownNetwork()
          .ifPresent(
              network -> assertThat(network.exists()).as("network namespaces left").isFalse());
    } finally {
      stopEverything(layout);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs now
      }
      FileTrees.deleteRecursively(workDir);
    }
  }

  /** Last resort (test failure, interrupted JVM): every process of this cluster, by pid. */
  private static void stopEverything(ClusterLayout layout) {
    try {
      ClusterState.load(layout)
          .ifPresent(
              state ->
                  state
                      .processes()
                      .forEach(
                          p ->
                              ProcessControl.live(p, layout)
                                  .ifPresent(
                                      handle ->
                                          ProcessControl.terminate(
                                              handle, Duration.ofSeconds(20)))));
      ProcessControl.strays(layout, List.of())
          .forEach(handle -> ProcessControl.terminate(handle, Duration.ofSeconds(20)));
      ClusterState.load(layout).flatMap(ClusterState::ownNetwork).ifPresent(ClusterNetwork::delete);
      new BrokerDisks(layout).unmountAll();
    } catch (RuntimeException e) {
      System.err.println("cluster-it: could not stop every process: " + e);
    }
  }
}
