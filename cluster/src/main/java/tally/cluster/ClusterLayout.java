package tally.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the no-Docker cluster keeps everything, under one work directory:
 *
 * <pre>
 * cluster.json                 processes, PIDs and ports (read by status, down, chaos)
 * conf/                        Flink's config dir (config.yaml, log4j.properties) and the other log configs
 * logs/NAME.log, NAME.out      each process's log and stdout/stderr (the Flink Web UI shows both)
 * zookeeper/                   zoo.cfg and data
 * kafka-N/                     server.properties and data of broker N
 * flink/checkpoints, flink/savepoints, flink/ha
 * tmp/NAME/                    io.tmp.dirs of each Flink process (a restarted TaskManager starts clean)
 * chaos/                       chaos runs: reports, the job jar they submitted, failure triggers
 * </pre>
 */
public record ClusterLayout(Path root) {

  public ClusterLayout {
    root = root.toAbsolutePath().normalize();
  }

  public Path stateFile() {
    return root.resolve("cluster.json");
  }

  public Path confDir() {
    return root.resolve("conf");
  }

  public Path flinkConfig() {
    return confDir().resolve("config.yaml");
  }

  public Path flinkLog4j() {
    return confDir().resolve("log4j.properties");
  }

  public Path kafkaLog4j() {
    return confDir().resolve("log4j2-kafka.properties");
  }

  public Path zookeeperLog4j() {
    return confDir().resolve("log4j2-zookeeper.properties");
  }

  public Path logsDir() {
    return root.resolve("logs");
  }

  public Path logFile(String process) {
    return logsDir().resolve(process + ".log");
  }

  /** Flink's Web UI finds a process's stdout next to its log: same name, {@code .out}. */
  public Path outFile(String process) {
    return logsDir().resolve(process + ".out");
  }

  public Path zookeeperDir() {
    return root.resolve("zookeeper");
  }

  public Path zookeeperConfig() {
    return zookeeperDir().resolve("zoo.cfg");
  }

  public Path brokerDir(int nodeId) {
    return root.resolve("kafka-" + nodeId);
  }

  public Path brokerConfig(int nodeId) {
    return brokerDir(nodeId).resolve("server.properties");
  }

  public Path brokerDataDir(int nodeId) {
    return brokerDir(nodeId).resolve("data");
  }

  public Path checkpointsDir() {
    return root.resolve("flink").resolve("checkpoints");
  }

  public Path savepointsDir() {
    return root.resolve("flink").resolve("savepoints");
  }

  public Path haDir() {
    return root.resolve("flink").resolve("ha");
  }

  public Path tmpDir(String process) {
    return root.resolve("tmp").resolve(process);
  }

  public Path chaosDir() {
    return root.resolve("chaos");
  }

  /** The secured cluster's TLS files, secrets and client files ({@code cluster up --secure}). */
  public Path securityDir() {
    return root.resolve("security");
  }

  /** Creates the directories every process needs. */
  public void createDirectories() {
    try {
      for (Path dir :
          new Path[] {
            confDir(),
            logsDir(),
            zookeeperDir(),
            checkpointsDir(),
            savepointsDir(),
            haDir(),
            chaosDir()
          }) {
        Files.createDirectories(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the cluster's directories under " + root, e);
    }
  }
}
