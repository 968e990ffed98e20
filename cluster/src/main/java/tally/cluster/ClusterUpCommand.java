package tally.cluster;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tally.support.cli.SecureOption;

/** {@code tally cluster up}: starts every process and waits until all are healthy. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description =
        "Starts ZooKeeper, 3 Kafka brokers, a Flink JobManager and 2 TaskManagers as separate"
            + " processes, waits until each is healthy, creates Tally's topics, and returns (the"
            + " processes keep running). A work dir that held a cluster before is reused: brokers"
            + " keep their data, running jobs recover. --secure also turns on Flink TLS (internal"
            + " and REST) and turns off jar upload through the Web UI ('flink run' keeps working).")
public final class ClusterUpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClusterDirOption dir;

  @Option(
      names = "--zookeeper-port",
      defaultValue = "2181",
      description = "ZooKeeper client port (default: ${DEFAULT-VALUE}).")
  int zookeeperPort;

  @Option(
      names = "--kafka-ports",
      defaultValue = "9092,9093,9094",
      paramLabel = "P1,P2,P3",
      description = "The three brokers' client ports (default: ${DEFAULT-VALUE}).")
  String kafkaPorts;

  @Option(
      names = "--kafka-controller-ports",
      defaultValue = "9095,9096,9097",
      paramLabel = "P1,P2,P3",
      description = "The three brokers' KRaft controller ports (default: ${DEFAULT-VALUE}).")
  String controllerPorts;

  @Mixin WebUiPortOption webUi = new WebUiPortOption();

  @Option(
      names = "--jobmanager-port",
      defaultValue = "6123",
      description = "JobManager RPC port (default: ${DEFAULT-VALUE}).")
  int jobManagerPort;

  @Option(
      names = "--standby-web-ui-port",
      defaultValue = "8082",
      description = "The standby JobManager's Web UI and REST port (default: ${DEFAULT-VALUE}).")
  int standbyWebUiPort;

  @Option(
      names = "--standby-jobmanager-port",
      defaultValue = "6124",
      description = "The standby JobManager's RPC port (default: ${DEFAULT-VALUE}).")
  int standbyJobManagerPort;

  @Option(
      names = "--metrics-ports",
      defaultValue = "9249,9250,9251,9252",
      paramLabel = "JM,TM1,TM2,JM2",
      description =
          "Prometheus endpoints of the JobManager, the two TaskManagers and the standby"
              + " JobManager (default: ${DEFAULT-VALUE}).")
  String metricsPorts;

  /**
   * Also Flink TLS (internal and REST), no jar upload through the Web UI; a work dir keeps what it
   * was first started as (docs/cluster.md).
   */
  @Mixin SecureOption secured = new SecureOption();

  @Option(
      names = "--network",
      defaultValue = "auto",
      paramLabel = "auto|namespaces|loopback",
      converter = NetworkModeConverter.class,
      description =
          "namespaces: each process in its own Linux network namespace on a private bridge (needs"
              + " root and iproute2; the partition and slow-network chaos faults need it)."
              + " loopback: all on localhost. auto (default): namespaces where this machine"
              + " allows them, else loopback with a notice. A secured cluster runs on loopback.")
  ProcessCluster.NetworkMode network;

  /** Lower-case names on the command line. */
  static final class NetworkModeConverter
      implements picocli.CommandLine.ITypeConverter<ProcessCluster.NetworkMode> {
    @Override
    public ProcessCluster.NetworkMode convert(String value) {
      return ProcessCluster.NetworkMode.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    }
  }

  @Option(
      names = "--free-ports",
      description =
          "Pick free ports for everything instead (to run next to another cluster or a demo).")
  boolean freePorts;

  @Override
  public Integer call() {
    ClusterPorts ports = ports();
    PrintWriter out = spec.commandLine().getOut();
    ClusterLayout layout = dir.layout();
    out.println(
        "Starting the cluster under " + layout.root() + " (logs in " + layout.logsDir() + ")...");
    out.flush();
    ClusterState state;
    try {
      state =
          new ProcessCluster(layout)
              .up(
                  TallyHome.locate(),
                  ports,
                  secured.secure,
                  network,
                  line -> {
                    out.println("  " + line);
                    out.flush();
                  });
    } catch (ProcessCluster.AlreadyRunningException e) {
      out.println(e.getMessage());
      return 0;
    } catch (IllegalStateException e) {
      // The message carries the failing process's log tail: print it whole.
      spec.commandLine().getErr().println("tally cluster up: " + e.getMessage());
      return 1;
    }
    out.println();
    out.println("Cluster up. Work dir: " + layout.root());
    out.println(
        "  Web UI          "
            + String.join(" ", state.webUiUrls())
            + "   (either JobManager's: one leads, one stands by)");
    out.println(
        "  Kafka           "
            + state.ports().bootstrapServers()
            + (state.secured() ? "   (" + ClusterSecurity.MODE.securityProtocol() + ")" : ""));
    if (state.secured()) {
      out.println(
          "  Client files    "
              + state.clientFile(ClusterSecurity.ADMIN).orElseThrow().getParent()
              + "/<principal>.properties   (admin, ledger, revenue, generator, auditor)");
      out.println("  CA certificate  " + state.security().caCertificate());
    }
    out.println("  ZooKeeper       " + state.ports().zookeeperQuorum());
    out.println(
        "  Prometheus      "
            + state.ports().metrics().stream()
                .map(port -> "http://" + metricsHost(state, port) + ":" + port + "/metrics")
                .collect(java.util.stream.Collectors.joining(" ")));
    out.println(
        "  Flink conf dir  " + layout.confDir() + "   (FLINK_CONF_DIR for a real 'flink' CLI)");
    out.println("Submit the ledger job:");
    String bootstrap = state.ports().bootstrapServers();
    out.println(
        "  "
            + LedgerSubmission.commandLine(
                state
                    .clientFile(LedgerSubmission.PRINCIPAL)
                    .map(file -> LedgerSubmission.programArgs(bootstrap, file))
                    .orElseGet(() -> LedgerSubmission.programArgs(bootstrap))));
    out.println("Then: bin/tally cluster status | bin/tally chaos --help | bin/tally cluster down");
    return 0;
  }

  /** The host of the Flink process whose metrics port {@code port} is. */
  private static String metricsHost(ClusterState state, int port) {
    return state.ports().host(state.ports().metricsProcess(port));
  }

  private ClusterPorts ports() {
    if (freePorts) {
      return ClusterPorts.free();
    }
    try {
      List<Integer> kafka = ClusterPorts.parseList(kafkaPorts);
      List<Integer> controllers = ClusterPorts.parseList(controllerPorts);
      return new ClusterPorts(
          zookeeperPort,
          kafka,
          controllers,
          webUi.webUiPort,
          jobManagerPort,
          ClusterPorts.parseList(metricsPorts),
          standbyWebUiPort,
          standbyJobManagerPort);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
