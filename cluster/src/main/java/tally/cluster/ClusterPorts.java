package tally.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import tally.kafka.local.FreePorts;

/**
 * Where the no-Docker cluster's processes listen: their ports, and their hosts ({@code localhost}
 * for all, unless the cluster has its own network: then each process's address in it, see {@link
 * ClusterNetwork}). The defaults are the usual ones (and the ones docker-compose.yml publishes):
 * ZooKeeper 2181, Kafka 9092-9094, Flink Web UI 8081, JobManager RPC 6123; the brokers' controller
 * listeners take 9095-9097; the standby JobManager (jobmanager-2) serves its Web UI on 8082 and RPC
 * on 6124. Each Flink process serves Prometheus metrics on its own port: JobManager 9249,
 * TaskManagers 9250 and 9251, the standby JobManager 9252.
 */
public record ClusterPorts(
    int zookeeper,
    List<Integer> kafka,
    List<Integer> kafkaControllers,
    int webUi,
    int jobManagerRpc,
    List<Integer> metrics,
    int standbyWebUi,
    int standbyJobManagerRpc,
    Map<String, String> hosts) {

  public static final int BROKERS = 3;

  /**
   * The Flink processes, in the order of their Prometheus ports: the first JobManager, the
   * TaskManagers, then the standby JobManager (added last, so the older ports kept their meaning).
   */
  public static final List<String> FLINK_PROCESSES =
      Stream.of(
              Stream.of(ProcessCluster.JOBMANAGERS.get(0)),
              ProcessCluster.TASKMANAGERS.stream(),
              Stream.of(ProcessCluster.STANDBY_JOBMANAGER))
          .flatMap(names -> names)
          .toList();

  public static final List<Integer> DEFAULT_METRICS = List.of(9249, 9250, 9251, 9252);

  public static final int DEFAULT_STANDBY_WEB_UI = 8082;
  public static final int DEFAULT_STANDBY_RPC = 6124;

  public ClusterPorts {
    kafka = List.copyOf(kafka);
    kafkaControllers = List.copyOf(kafkaControllers);
    // cluster.json of a cluster started before the metrics ports, or the standby JobManager,
    // existed lacks those ports: so that 'cluster down' can still read it
    metrics = metrics == null ? DEFAULT_METRICS : List.copyOf(metrics);
    if (metrics.size() == FLINK_PROCESSES.size() - 1) {
      metrics = append(metrics, DEFAULT_METRICS.get(FLINK_PROCESSES.size() - 1));
    }
    standbyWebUi = standbyWebUi == 0 ? DEFAULT_STANDBY_WEB_UI : standbyWebUi;
    standbyJobManagerRpc = standbyJobManagerRpc == 0 ? DEFAULT_STANDBY_RPC : standbyJobManagerRpc;
    hosts = hosts == null ? Map.of() : Map.copyOf(hosts);
    if (kafka.size() != BROKERS || kafkaControllers.size() != BROKERS) {
      throw new IllegalArgumentException(
          "the cluster has "
              + BROKERS
              + " Kafka brokers: give "
              + BROKERS
              + " broker ports and "
              + BROKERS
              + " controller ports");
    }
    if (metrics.size() != FLINK_PROCESSES.size()) {
      throw new IllegalArgumentException(
          "give "
              + FLINK_PROCESSES.size()
              + " metrics ports: the JobManager's, one per TaskManager, the standby JobManager's");
    }
    List<Integer> all =
        new ArrayList<>(
            List.of(zookeeper, webUi, jobManagerRpc, standbyWebUi, standbyJobManagerRpc));
    all.addAll(kafka);
    all.addAll(kafkaControllers);
    all.addAll(metrics);
    Set<Integer> seen = new HashSet<>();
    for (int port : all) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is not within 1-65535");
      }
      if (!seen.add(port)) {
        throw new IllegalArgumentException("port " + port + " is given twice");
      }
    }
  }

  /** All on localhost. */
  public ClusterPorts(
      int zookeeper,
      List<Integer> kafka,
      List<Integer> kafkaControllers,
      int webUi,
      int jobManagerRpc,
      List<Integer> metrics,
      int standbyWebUi,
      int standbyJobManagerRpc) {
    this(
        zookeeper,
        kafka,
        kafkaControllers,
        webUi,
        jobManagerRpc,
        metrics,
        standbyWebUi,
        standbyJobManagerRpc,
        Map.of());
  }

  public static ClusterPorts defaults() {
    return new ClusterPorts(
        2181,
        List.of(9092, 9093, 9094),
        List.of(9095, 9096, 9097),
        8081,
        6123,
        DEFAULT_METRICS,
        DEFAULT_STANDBY_WEB_UI,
        DEFAULT_STANDBY_RPC);
  }

  /** The same ports on the addresses of {@code network}'s processes (null: on localhost). */
  public ClusterPorts on(ClusterNetwork network) {
    return new ClusterPorts(
        zookeeper,
        kafka,
        kafkaControllers,
        webUi,
        jobManagerRpc,
        metrics,
        standbyWebUi,
        standbyJobManagerRpc,
        network == null ? Map.of() : network.addresses());
  }

  /** The host process {@code name} listens on: its own address, or localhost. */
  public String host(String name) {
    return hosts.getOrDefault(name, "localhost");
  }

  /** Free ports picked now (tests, or to run next to another cluster). */
  public static ClusterPorts free() {
    return new ClusterPorts(
        FreePorts.pick(),
        List.of(FreePorts.pick(), FreePorts.pick(), FreePorts.pick()),
        List.of(FreePorts.pick(), FreePorts.pick(), FreePorts.pick()),
        FreePorts.pick(),
        FreePorts.pick(),
        List.of(FreePorts.pick(), FreePorts.pick(), FreePorts.pick(), FreePorts.pick()),
        FreePorts.pick(),
        FreePorts.pick());
  }

  /** The Prometheus port of a Flink process: one of {@link #FLINK_PROCESSES}. */
  public int metricsPort(String flinkProcess) {
    int index = FLINK_PROCESSES.indexOf(flinkProcess);
    if (index < 0) {
      throw new IllegalArgumentException("no metrics port for " + flinkProcess);
    }
    return metrics.get(index);
  }

  /** The Flink process whose Prometheus port {@code port} is. */
  public String metricsProcess(int port) {
    int index = metrics.indexOf(port);
    if (index < 0) {
      throw new IllegalArgumentException(port + " is no metrics port of this cluster");
    }
    return FLINK_PROCESSES.get(index);
  }

  /** The Web UI (REST) port of a JobManager: "jobmanager" or "jobmanager-2". */
  public int webUiPort(String jobManager) {
    return jobManager.equals(ProcessCluster.STANDBY_JOBMANAGER) ? standbyWebUi : webUi;
  }

  /** The RPC port of a JobManager: "jobmanager" or "jobmanager-2". */
  public int rpcPort(String jobManager) {
    return jobManager.equals(ProcessCluster.STANDBY_JOBMANAGER)
        ? standbyJobManagerRpc
        : jobManagerRpc;
  }

  /** {@code localhost:9092,localhost:9093,localhost:9094}. */
  public String bootstrapServers() {
    List<String> servers = new ArrayList<>();
    for (int i = 0; i < BROKERS; i++) {
      servers.add(host("kafka-" + (i + 1)) + ":" + kafka.get(i));
    }
    return String.join(",", servers);
  }

  public String zookeeperQuorum() {
    return host("zookeeper") + ":" + zookeeper;
  }

  public String webUiUrl() {
    return webUiUrl(false);
  }

  /** With TLS on REST ({@code cluster up --secure}): https. */
  public String webUiUrl(boolean tls) {
    return webUiUrl("jobmanager", tls);
  }

  /**
   * The Web UI of one JobManager. Either serves the whole cluster: a standby answers through the
   * leader, and with 503 while there is none.
   */
  public String webUiUrl(String jobManager, boolean tls) {
    return (tls ? "https" : "http") + "://" + host(jobManager) + ":" + webUiPort(jobManager);
  }

  /**
   * {@code 1@localhost:9095,2@localhost:9096,3@localhost:9097}: a static KRaft quorum of all three.
   */
  public String controllerQuorumVoters() {
    List<String> voters = new ArrayList<>();
    for (int i = 0; i < BROKERS; i++) {
      voters.add((i + 1) + "@" + host("kafka-" + (i + 1)) + ":" + kafkaControllers.get(i));
    }
    return String.join(",", voters);
  }

  /** Every port with what it is for, for "port in use" checks. */
  public List<String> describeAll() {
    List<String> ports = new ArrayList<>();
    ports.add(zookeeper + " (ZooKeeper)");
    for (int i = 0; i < BROKERS; i++) {
      ports.add(kafka.get(i) + " (kafka-" + (i + 1) + ")");
      ports.add(kafkaControllers.get(i) + " (kafka-" + (i + 1) + " controller)");
    }
    ports.add(webUi + " (Flink Web UI)");
    ports.add(jobManagerRpc + " (JobManager RPC)");
    ports.add(standbyWebUi + " (standby JobManager's Web UI)");
    ports.add(standbyJobManagerRpc + " (standby JobManager RPC)");
    for (int i = 0; i < FLINK_PROCESSES.size(); i++) {
      ports.add(metrics.get(i) + " (" + FLINK_PROCESSES.get(i) + " metrics)");
    }
    return ports;
  }

  private static List<Integer> append(List<Integer> list, int element) {
    List<Integer> longer = new ArrayList<>(list);
    longer.add(element);
    return List.copyOf(longer);
  }

  /** Parses "9092,9093,9094". */
  public static List<Integer> parseList(String text) {
    List<Integer> ports = new ArrayList<>();
    for (String part : text.split(",")) {
      try {
        ports.add(Integer.parseInt(part.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a comma-separated list of ports");
      }
    }
    return ports;
  }
}
