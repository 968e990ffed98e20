package tally.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Docker does not run here, so docker-compose.yml is checked against the no-Docker cluster's
 * configuration instead: the same images' versions, the same shared configuration files, the same
 * published ports, topics and job arguments, and only environment-specific settings of its own.
 */
class DockerComposeTest {

  private static final TallyHome HOME = TallyHome.locate();
  private static final Map<String, Object> COMPOSE =
      load(HOME.root().resolve("docker-compose.yml"));
  private static final String DOCKER_BOOTSTRAP = "kafka-1:19092,kafka-2:19092,kafka-3:19092";

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(Path file) {
    try (Reader in = Files.newBufferedReader(file)) {
      return (Map<String, Object>)
          new Yaml().load(in); // SnakeYAML resolves '<<' merge keys, as Compose does
    } catch (Exception e) {
      throw new IllegalStateException("cannot parse " + file, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(String name) {
    Map<String, Object> services = (Map<String, Object>) COMPOSE.get("services");
    assertThat(services).as("services").containsKey(name);
    return (Map<String, Object>) services.get(name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> environment(String service) {
    Map<String, String> env = new LinkedHashMap<>();
    ((Map<String, Object>) service(service).getOrDefault("environment", Map.of()))
        .forEach((key, value) -> env.put(key, String.valueOf(value)));
    return env;
  }

  @SuppressWarnings("unchecked")
  private static List<String> list(String service, String key) {
    return ((List<Object>) service(service).getOrDefault(key, List.of()))
        .stream().map(String::valueOf).toList();
  }

  /**
   * FLINK_PROPERTIES as the image's entrypoint reads it: one "key: value" per line, split at the
   * first colon.
   */
  private static Map<String, String> flinkProperties(String service) {
    Map<String, String> properties = new LinkedHashMap<>();
    for (String line : environment(service).getOrDefault("FLINK_PROPERTIES", "").split("\n")) {
      if (!line.isBlank()) {
        int colon = line.indexOf(':');
        properties.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    return properties;
  }

  /** The apache/kafka image's variable naming: KAFKA_ABC_DEF -> abc.def, __ -> _, ___ -> -. */
  static String kafkaProperty(String variable) {
    return variable
        .substring("KAFKA_".length())
        .toLowerCase()
        .replace("___", "\u0001")
        .replace("__", "\u0002")
        .replace('_', '.')
        .replace('\u0001', '-')
        .replace('\u0002', '_');
  }

  @Test
  void theImagesAreTheVersionsTheNoDockerClusterRuns() {
    String flink = EnvironmentInformation.getVersion();
    for (String service :
        List.of("jobmanager", "jobmanager-2", "taskmanager-1", "taskmanager-2", "submit-ledger")) {
      assertThat(service(service).get("image"))
          .as(service)
          .isEqualTo("apache/flink:" + flink + "-java17");
    }
    for (String service : List.of("kafka-1", "kafka-2", "kafka-3", "kafka-init")) {
      assertThat(service(service).get("image"))
          .as(service)
          .isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
    }
    String zookeeperJar =
        RoleClasspath.ZOOKEEPER.jars().stream()
            .map(p -> p.getFileName().toString())
            .filter(n -> n.matches("zookeeper-\\d.*\\.jar"))
            .findFirst()
            .orElseThrow();
    Matcher minor = Pattern.compile("zookeeper-(\\d+\\.\\d+)\\.").matcher(zookeeperJar);
    assertThat(minor.find()).isTrue();
    assertThat(service("zookeeper").get("image")).isEqualTo("zookeeper:" + minor.group(1));
  }

  @Test
  void theFlinkServicesUseTheSharedConfigurationAndSetOnlyEnvironmentSpecificKeys() {
    for (String service :
        List.of("jobmanager", "jobmanager-2", "taskmanager-1", "taskmanager-2", "submit-ledger")) {
      assertThat(list(service, "volumes"))
          .as(service)
          .contains("./deploy/flink:/opt/tally/flink:ro", "flink-data:/flink-data");
      assertThat(String.join(" ", list(service, "entrypoint")))
          .contains("cp /opt/tally/flink/config.yaml /opt/flink/conf/config.yaml")
          .contains("/docker-entrypoint.sh");
      Map<String, String> properties = flinkProperties(service);
      assertThat(FlinkConfigFiles.ENVIRONMENT_KEYS).as(service).containsAll(properties.keySet());
      // Checkpoints, savepoints and HA state on the volume every Flink container mounts.
      assertThat(properties)
          .containsEntry(
              "high-availability.zookeeper.quorum",
              "zookeeper:" + ClusterPorts.defaults().zookeeper())
          .containsEntry("high-availability.storageDir", "file:///flink-data/ha")
          .containsEntry("execution.checkpointing.dir", "file:///flink-data/checkpoints")
          .containsEntry("execution.checkpointing.savepoint-dir", "file:///flink-data/savepoints");
    }
    ClusterPorts ports = ClusterPorts.defaults();
    // Each JobManager in its own container: the same ports, its own address.
    for (String jm : ProcessCluster.JOBMANAGERS) {
      assertThat(flinkProperties(jm))
          .as(jm)
          .containsEntry("rest.port", Integer.toString(ports.webUi()))
          .containsEntry("rest.address", jm)
          .containsEntry("jobmanager.rpc.port", Integer.toString(ports.jobManagerRpc()))
          .containsEntry(
              "high-availability.jobmanager.port", Integer.toString(ports.jobManagerRpc()));
      assertThat(environment(jm)).containsEntry("JOB_MANAGER_RPC_ADDRESS", jm);
    }
    for (String tm : ProcessCluster.TASKMANAGERS) {
      assertThat(flinkProperties(tm)).containsEntry("taskmanager.resource-id", tm);
    }
  }

  @Test
  void theBrokersUseTheSharedSettingsAndSetOnlyTheirNodeSettings() {
    Map<String, String> shared = KafkaBrokerFiles.sharedSettings(HOME);
    ClusterPorts ports = ClusterPorts.defaults();
    for (int node = 1; node <= ClusterPorts.BROKERS; node++) {
      String service = "kafka-" + node;
      assertThat(list(service, "volumes")).contains("./deploy/kafka:/mnt/shared/config:ro");
      Map<String, String> env = environment(service);
      Map<String, String> properties = new LinkedHashMap<>();
      env.forEach(
          (key, value) -> {
            if (key.startsWith("KAFKA_") && !key.equals("KAFKA_HEAP_OPTS")) {
              properties.put(kafkaProperty(key), value);
            }
          });
      properties.forEach(
          (key, value) -> {
            if (shared.containsKey(key)) {
              assertThat(value)
                  .as(service + " repeats " + key)
                  .isEqualTo(shared.get(key)); // only the same value
            } else {
              assertThat(KafkaBrokerFiles.NODE_KEYS).as(service + " sets " + key).contains(key);
            }
          });
      assertThat(properties)
          .containsEntry("node.id", Integer.toString(node))
          .containsEntry("controller.quorum.voters", "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093")
          .containsEntry(
              "advertised.listeners",
              "INTERNAL://kafka-"
                  + node
                  + ":19092,EXTERNAL://localhost:"
                  + ports.kafka().get(node - 1));
      assertThat(list(service, "ports")).containsExactly(ports.kafka().get(node - 1) + ":9092");
      assertThat(env.get("CLUSTER_ID")).isEqualTo(environment("kafka-1").get("CLUSTER_ID"));
    }
  }

  @Test
  void zookeeperHasTheSharedSettingsAndThePublishedPortsAreTheClustersDefaults() {
    Map<String, String> zoo = ZooKeeperFiles.sharedSettings(HOME);
    Map<String, String> env = environment("zookeeper");
    assertThat(env)
        .containsEntry("ZOO_TICK_TIME", zoo.get("tickTime"))
        .containsEntry("ZOO_INIT_LIMIT", zoo.get("initLimit"))
        .containsEntry("ZOO_SYNC_LIMIT", zoo.get("syncLimit"))
        .containsEntry("ZOO_MAX_CLIENT_CNXNS", zoo.get("maxClientCnxns"))
        .containsEntry("ZOO_4LW_COMMANDS_WHITELIST", zoo.get("4lw.commands.whitelist"))
        .containsEntry("ZOO_ADMINSERVER_ENABLED", zoo.get("admin.enableServer"))
        .containsEntry("ZOO_AUTOPURGE_SNAPRETAINCOUNT", zoo.get("autopurge.snapRetainCount"))
        .containsEntry("ZOO_AUTOPURGE_PURGEINTERVAL", zoo.get("autopurge.purgeInterval"));
    ClusterPorts ports = ClusterPorts.defaults();
    assertThat(list("zookeeper", "ports"))
        .containsExactly(ports.zookeeper() + ":" + ports.zookeeper());
    assertThat(list("jobmanager", "ports")).containsExactly(ports.webUi() + ":" + ports.webUi());
    assertThat(list("jobmanager-2", "ports"))
        .containsExactly(ports.standbyWebUi() + ":" + ports.webUi());
  }

  @Test
  void theTopicsAndTheLedgerSubmissionAreTheClusters() {
    Map<String, String> init = environment("kafka-init");
    assertThat(Arrays.asList(init.get("TOPICS").trim().split("\\s+")))
        .isEqualTo(ClusterTopics.names());
    assertThat(init)
        .containsEntry("PARTITIONS", Integer.toString(ClusterTopics.PARTITIONS))
        .containsEntry("REPLICATION_FACTOR", Integer.toString(ClusterTopics.REPLICATION_FACTOR))
        .containsEntry("BOOTSTRAP_SERVERS", DOCKER_BOOTSTRAP);

    List<String> args =
        new ArrayList<>(
            Arrays.asList(environment("submit-ledger").get("LEDGER_ARGS").trim().split("\\s+")));
    assertThat(args).isEqualTo(LedgerSubmission.programArgs(DOCKER_BOOTSTRAP));
    assertThat(list("submit-ledger", "volumes")).contains("./jobs/target:/opt/tally/jobs:ro");
    assertThat(String.join("\n", list("submit-ledger", "command")))
        .contains("flink run -d")
        .contains("$$LEDGER_ARGS");
  }

  @Test
  void everyProcessOfTheNoDockerClusterHasAService() {
    assertThat(ProcessCluster.processNames())
        .contains("jobmanager", "jobmanager-2")
        .allSatisfy(
            name -> assertThat(service(name).get("restart")).as(name).isEqualTo("on-failure"));
    assertThat(kafkaProperty("KAFKA_LOG_CLEANER___DEDUPE__BUFFER"))
        .isEqualTo("log.cleaner-dedupe_buffer");
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusScrapesEveryFlinkProcessAndGrafanaIsProvisioned() throws Exception {
    assertThat(FlinkConfigFiles.load(HOME.flinkDeployDir()).toMap())
        .containsEntry(
            "metrics.reporter.prom.factory.class",
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    List<String> expectedTargets = new ArrayList<>();
    for (String flink : ClusterPorts.FLINK_PROCESSES) {
      String port = flinkProperties(flink).get("metrics.reporter.prom.port");
      assertThat(port).as(flink + " reporter port").isNotNull();
      expectedTargets.add(flink + ":" + port);
    }
    Map<String, Object> prometheus = load(HOME.root().resolve("deploy/prometheus/prometheus.yml"));
    List<String> targets = new ArrayList<>();
    for (Map<String, Object> job : (List<Map<String, Object>>) prometheus.get("scrape_configs")) {
      for (Map<String, Object> config : (List<Map<String, Object>>) job.get("static_configs")) {
        targets.addAll((List<String>) config.get("targets"));
      }
    }
    assertThat(targets).containsExactlyInAnyOrderElementsOf(expectedTargets);
    assertThat(list("prometheus", "volumes"))
        .contains("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");

    assertThat(list("grafana", "volumes"))
        .contains(
            "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro",
            "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro");
    Map<String, Object> datasources =
        load(HOME.root().resolve("deploy/grafana/provisioning/datasources/prometheus.yml"));
    Map<String, Object> datasource =
        ((List<Map<String, Object>>) datasources.get("datasources")).get(0);
    assertThat(datasource).containsEntry("url", "http://prometheus:9090");
    com.fasterxml.jackson.databind.JsonNode dashboard =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(HOME.root().resolve("deploy/grafana/dashboards/tally-ledger.json").toFile());
    assertThat(dashboard.path("panels")).isNotEmpty();
    dashboard
        .path("panels")
        .forEach(
            panel -> {
              assertThat(panel.path("datasource").path("uid").asText())
                  .as(panel.path("title").asText())
                  .isEqualTo(datasource.get("uid"));
              assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            });
  }
}
