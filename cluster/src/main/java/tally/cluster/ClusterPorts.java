package tally.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tally.kafka.local.FreePorts;

/**
 * Where the no-Docker cluster's processes listen: their ports, and their hosts ({@code localhost}
 * for all, unless the cluster has its own network: then each process's address in it, see {@link
 * ClusterNetwork}). The defaults are the usual ones (and the ones docker-compose.yml publishes):
 * ZooKeeper 2181, Kafka 9092-9094, Flink Web UI 8081, JobManager RPC 6123; the brokers' controller
 * listeners take 9095-9097. Each Flink process serves Prometheus metrics on its own port:
 * JobManager 9249, TaskManagers 9250 and 9251.
 */
public record ClusterPorts(
    int zookeeper,
    List<Integer> kafka,
    List<Integer> kafkaControllers,
    int webUi,
    int jobManagerRpc,
    List<Integer> metrics,
    Map<String, String> hosts) {

  public static final int BROKERS = 3;

  /** Flink processes with a Prometheus endpoint: the JobManager, then the TaskManagers. */
  public static final int FLINK_PROCESSES = 3;

  public static final List<Integer> DEFAULT_METRICS = List.of(9249, 9250, 9251);

  public ClusterPorts {
    kafka = List.copyOf(kafka);
    kafkaControllers = List.copyOf(kafkaControllers);
    // cluster.json of a cluster started before the metrics ports existed has none
    metrics = metrics == null ? DEFAULT_METRICS : List.copyOf(metrics);
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
    if (metrics.size() != FLINK_PROCESSES) {
      throw new IllegalArgumentException(
          "give " + FLINK_PROCESSES + " metrics ports: the JobManager's, then one per TaskManager");
    }
    List<Integer> all = new ArrayList<>(List.of(zookeeper, webUi, jobManagerRpc));
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
      List<Integer> metrics) {
    this(zookeeper, kafka, kafkaControllers, webUi, jobManagerRpc, metrics, Map.of());
  }

  public static ClusterPorts defaults() {
    return new ClusterPorts(
        2181, List.of(9092, 9093, 9094), List.of(9095, 9096, 9097), 8081, 6123, DEFAULT_METRICS);
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
        List.of(FreePorts.pick(), FreePorts.pick(), FreePorts.pick()));
  }

  /** The Prometheus port of a Flink process: "jobmanager" or "taskmanager-N". */
  public int metricsPort(String flinkProcess) {
    if (flinkProcess.equals("jobmanager")) {
      return metrics.get(0);
    }
    if (flinkProcess.startsWith("taskmanager-")) {
      int n = Integer.parseInt(flinkProcess.substring("taskmanager-".length()));
      if (n >= 1 && n < FLINK_PROCESSES) {
        return metrics.get(n);
      }
    }
    throw new IllegalArgumentException("no metrics port for " + flinkProcess);
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
    return (tls ? "https" : "http") + "://" + host("jobmanager") + ":" + webUi;
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
    ports.add(metrics.get(0) + " (jobmanager metrics)");
    for (int i = 1; i < FLINK_PROCESSES; i++) {
      ports.add(metrics.get(i) + " (taskmanager-" + i + " metrics)");
    }
    return ports;
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
