package tally.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import tally.kafka.local.PrivateFiles;

/**
 * Writes the cluster's Flink config dir: {@code deploy/flink/config.yaml} verbatim (the one shared
 * configuration) followed by this machine's addresses, ports and directories, and Flink's log4j
 * configuration. The shared file must not set any of {@link #ENVIRONMENT_KEYS}: each environment
 * (this cluster, docker-compose) sets those itself.
 */
public final class FlinkConfigFiles {

  /** Keys that differ between environments; deploy/flink/config.yaml must leave them out. */
  public static final Set<String> ENVIRONMENT_KEYS =
      Set.of(
          "jobmanager.rpc.address",
          "jobmanager.rpc.port",
          "jobmanager.bind-host",
          "high-availability.jobmanager.port",
          "taskmanager.host",
          "taskmanager.bind-host",
          "taskmanager.resource-id",
          "rest.address",
          "rest.bind-address",
          "rest.port",
          "blob.server.port",
          "query.server.port",
          "high-availability.zookeeper.quorum",
          "high-availability.storageDir",
          "execution.checkpointing.dir",
          "execution.checkpointing.savepoint-dir",
          "io.tmp.dirs",
          "web.tmpdir",
          "state.backend.rocksdb.log.dir",
          "metrics.reporter.prom.port");

  private FlinkConfigFiles() {}

  /** This machine's settings for the no-Docker cluster, in the order they are written. */
  public static Map<String, String> localSettings(ClusterLayout layout, ClusterPorts ports) {
    Map<String, String> local = new LinkedHashMap<>();
    String jobManager = ports.host("jobmanager");
    local.put("jobmanager.rpc.address", jobManager);
    local.put("jobmanager.rpc.port", Integer.toString(ports.jobManagerRpc()));
    // Under HA the JobManager's RPC port is this one; fixed so that logs and firewalls are
    // predictable.
    local.put("high-availability.jobmanager.port", Integer.toString(ports.jobManagerRpc()));
    local.put("jobmanager.bind-host", jobManager);
    // Each TaskManager overrides these with its own address when the cluster has its own network.
    local.put("taskmanager.host", "localhost");
    local.put("taskmanager.bind-host", "localhost");
    local.put("rest.address", jobManager);
    local.put("rest.bind-address", jobManager);
    local.put("rest.port", Integer.toString(ports.webUi()));
    local.put("high-availability.zookeeper.quorum", ports.zookeeperQuorum());
    local.put("high-availability.storageDir", layout.haDir().toUri().toString());
    local.put("execution.checkpointing.dir", layout.checkpointsDir().toUri().toString());
    local.put("execution.checkpointing.savepoint-dir", layout.savepointsDir().toUri().toString());
    // Each process overrides it with its own tmp dir (-D io.tmp.dirs); this is for the CLI.
    local.put("io.tmp.dirs", layout.tmpDir("client").toString());
    local.put("web.tmpdir", layout.tmpDir("jobmanager-web").toString());
    // RocksDB writes a (header-only) LOG file per state next to the process log otherwise.
    local.put("state.backend.rocksdb.log.dir", layout.tmpDir("rocksdb-logs").toString());
    return local;
  }

  /** Writes conf/config.yaml and conf/log4j.properties; returns the resulting configuration. */
  public static Configuration write(TallyHome home, ClusterLayout layout, ClusterPorts ports) {
    return write(home, layout, ports, null);
  }

  /**
   * As above; with {@code security}, Flink's TLS and lock-down settings follow this machine's, and
   * the file (which then holds keystore passwords) is readable by its owner only.
   */
  public static Configuration write(
      TallyHome home, ClusterLayout layout, ClusterPorts ports, ClusterSecurity security) {
    Path shared = home.flinkDeployDir().resolve("config.yaml");
    Map<String, String> local = localSettings(layout, ports);
    if (security != null) {
      local.putAll(security.flinkSettings());
      Set<String> twice = new TreeSet<>(load(shared.getParent()).keySet());
      twice.retainAll(local.keySet());
      if (!twice.isEmpty()) {
        throw new IllegalStateException(
            shared
                + " sets "
                + twice
                + ", which the secured cluster sets itself: remove them there");
      }
    }
    requireNoEnvironmentKeys(shared);
    try {
      StringBuilder text =
          new StringBuilder()
              .append("# Written by bin/tally cluster up: ")
              .append(shared)
              .append(" as is, then this machine's settings.\n")
              .append(
                  "# Edit the shared file (and run 'bin/tally cluster down' + 'up'), not this"
                      + " copy.\n\n")
              .append(Files.readString(shared, StandardCharsets.UTF_8))
              .append("\n# --- This machine (bin/tally cluster up, work dir ")
              .append(layout.root())
              .append(") ---\n");
      local.forEach(
          (key, value) -> text.append(key).append(": ").append(yamlScalar(value)).append('\n'));
      Files.createDirectories(layout.confDir());
      if (security != null) {
        PrivateFiles.writeString(layout.flinkConfig(), text.toString());
      } else {
        Files.writeString(layout.flinkConfig(), text.toString(), StandardCharsets.UTF_8);
      }
      Files.copy(
          home.flinkDeployDir().resolve("log4j.properties"),
          layout.flinkLog4j(),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the Flink configuration to " + layout.confDir(), e);
    }
    return load(layout.confDir());
  }

  /** Flink's own loader, as every Flink process and the CLI read it. */
  public static Configuration load(Path confDir) {
    return GlobalConfiguration.loadConfiguration(confDir.toString());
  }

  /** Fails with the offending keys when the shared file sets an environment-specific one. */
  static void requireNoEnvironmentKeys(Path shared) {
    if (!Files.isRegularFile(shared)) {
      throw new IllegalStateException("missing " + shared + ": the cluster's Flink configuration");
    }
    Set<String> offending = new TreeSet<>(load(shared.getParent()).keySet());
    offending.retainAll(ENVIRONMENT_KEYS);
    if (!offending.isEmpty()) {
      throw new IllegalStateException(
          shared
              + " sets "
              + offending
              + ", which differ per environment: "
              + "remove them there (bin/tally cluster and docker-compose.yml set them)");
    }
  }

  /** Keys of the shared file, for checks. */
  public static List<String> sharedKeys(TallyHome home) {
    return List.copyOf(new TreeSet<>(load(home.flinkDeployDir()).keySet()));
  }

  private static String yamlScalar(String value) {
    return value.matches("[A-Za-z0-9_./:@,-]+") ? value : "'" + value.replace("'", "''") + "'";
  }
}
