package tally.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import kafka.tools.StorageTool;
import tally.kafka.local.PrivateFiles;

/**
 * Each broker's {@code server.properties}: {@code deploy/kafka/server.properties} (the one shared
 * broker configuration) plus the node's own settings, and its storage formatted for a static
 * three-voter KRaft quorum (all brokers share one cluster id).
 */
public final class KafkaBrokerFiles {

  /**
   * Keys set per node (here and by docker-compose's KAFKA_* variables); the shared file leaves them
   * out.
   */
  public static final Set<String> NODE_KEYS =
      Set.of(
          "node.id",
          "listeners",
          "advertised.listeners",
          "listener.security.protocol.map",
          "inter.broker.listener.name",
          "controller.quorum.voters",
          "controller.quorum.bootstrap.servers",
          "log.dirs");

  /** Node keys the secured settings replace (listeners and their protocols). */
  private static final Set<String> SECURED_REPLACES =
      Set.of(
          "listeners",
          "advertised.listeners",
          "listener.security.protocol.map",
          "inter.broker.listener.name");

  private KafkaBrokerFiles() {}

  /** The shared settings, in file order. */
  public static Map<String, String> sharedSettings(TallyHome home) {
    Path file = home.kafkaDeployDir().resolve("server.properties");
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + file + ": the cluster's Kafka configuration", e);
    }
    Set<String> offending = new TreeSet<>(properties.stringPropertyNames());
    offending.retainAll(NODE_KEYS);
    if (!offending.isEmpty()) {
      throw new IllegalStateException(
          file + " sets " + offending + ", which differ per broker: remove them there");
    }
    Map<String, String> settings = new LinkedHashMap<>();
    new TreeSet<>(properties.stringPropertyNames())
        .forEach(key -> settings.put(key, properties.getProperty(key)));
    return settings;
  }

  /** Node {@code nodeId}'s own settings (1-based). */
  public static Map<String, String> nodeSettings(
      int nodeId, ClusterLayout layout, ClusterPorts ports) {
    int port = ports.kafka().get(nodeId - 1);
    int controllerPort = ports.kafkaControllers().get(nodeId - 1);
    Map<String, String> node = new LinkedHashMap<>();
    node.put("node.id", Integer.toString(nodeId));
    String host = ports.host("kafka-" + nodeId);
    node.put(
        "listeners",
        "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    node.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    node.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    node.put("inter.broker.listener.name", "PLAINTEXT");
    node.put("controller.quorum.voters", ports.controllerQuorumVoters());
    node.put("log.dirs", layout.brokerDataDir(nodeId).toString());
    return node;
  }

  /** Writes kafka-N/server.properties (shared file verbatim + node settings) and the log config. */
  public static void write(int nodeId, TallyHome home, ClusterLayout layout, ClusterPorts ports) {
    write(nodeId, home, layout, ports, null);
  }

  /**
   * As above; with {@code security} the node's listeners are SASL_SSL and its controller listener
   * TLS, plus the cluster's shared TLS/SCRAM/authorizer settings, and the file (which then holds
   * keystore passwords) is readable by its owner only.
   */
  public static void write(
      int nodeId,
      TallyHome home,
      ClusterLayout layout,
      ClusterPorts ports,
      ClusterSecurity security) {
    sharedSettings(home); // validates
    Path shared = home.kafkaDeployDir().resolve("server.properties");
    try {
      Files.createDirectories(layout.brokerDataDir(nodeId));
      StringBuilder text =
          new StringBuilder()
              .append("# Written by bin/tally cluster up: ")
              .append(shared)
              .append(" as is, then this node's settings.\n\n")
              .append(Files.readString(shared, StandardCharsets.UTF_8))
              .append("\n# --- Node ")
              .append(nodeId)
              .append(" on this machine ---\n");
      // Backslashes are escapes in .properties files (Windows paths).
      Map<String, String> node = nodeSettings(nodeId, layout, ports);
      if (security != null) {
        node.keySet().removeAll(SECURED_REPLACES);
        node.putAll(
            security.brokerSettings(
                ports.kafka().get(nodeId - 1), ports.kafkaControllers().get(nodeId - 1)));
      }
      node.forEach(
          (key, value) ->
              text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
      if (security != null) {
        PrivateFiles.writeString(layout.brokerConfig(nodeId), text.toString());
      } else {
        Files.writeString(layout.brokerConfig(nodeId), text.toString(), StandardCharsets.UTF_8);
      }
      Files.copy(
          home.deployDir().resolve("logging").resolve("log4j2-kafka.properties"),
          layout.kafkaLog4j(),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the configuration of kafka-" + nodeId, e);
    }
  }

  public static boolean isFormatted(int nodeId, ClusterLayout layout) {
    return Files.exists(layout.brokerDataDir(nodeId).resolve("meta.properties"));
  }

  /**
   * Formats the node's log dir ({@code kafka-storage.sh format -t ID -c server.properties}) in this
   * JVM: StorageTool.execute returns a code instead of exiting, and a child JVM per broker would
   * cost a second of CPU each.
   */
  public static void format(int nodeId, String clusterId, ClusterLayout layout) {
    format(nodeId, clusterId, layout, List.of());
  }

  /**
   * As above, with {@code credentials} ({@code --add-scram} arguments: SCRAM users exist before the
   * first start). In this JVM, so the passwords never appear on a command line.
   */
  public static void format(
      int nodeId, String clusterId, ClusterLayout layout, List<String> credentials) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    List<String> arguments =
        new ArrayList<>(
            List.of("format", "-t", clusterId, "-c", layout.brokerConfig(nodeId).toString()));
    arguments.addAll(credentials);
    String[] args = arguments.toArray(String[]::new);
    int code;
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      code = StorageTool.execute(args, out);
    } catch (Exception e) {
      throw new IllegalStateException(
          "formatting kafka-"
              + nodeId
              + "'s log dir failed: "
              + e.getMessage()
              + "\n"
              + output.toString(StandardCharsets.UTF_8),
          e);
    }
    if (code != 0) {
      throw new IllegalStateException(
          "formatting kafka-"
              + nodeId
              + "'s log dir failed with code "
              + code
              + ":\n"
              + output.toString(StandardCharsets.UTF_8));
    }
  }
}
