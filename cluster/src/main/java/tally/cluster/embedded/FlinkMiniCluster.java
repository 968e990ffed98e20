package tally.cluster.embedded;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.cluster.monitoring.PrometheusEndpoint;

/**
 * A Flink MiniCluster in this JVM with the REST API and Web UI (flink-runtime-web is on the
 * classpath), for users without a Flink cluster. Jobs are submitted through its REST endpoint, the
 * same way `flink run` submits to a session cluster, so they carry their own configuration.
 */
public final class FlinkMiniCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkMiniCluster.class);

  private final MiniCluster miniCluster;
  private final int restPort;
  private final Path workDir;
  private final int prometheusPort;

  private FlinkMiniCluster(
      MiniCluster miniCluster, int restPort, Path workDir, int prometheusPort) {
    this.miniCluster = miniCluster;
    this.restPort = restPort;
    this.workDir = workDir;
    this.prometheusPort = prometheusPort;
  }

  /**
   * Starts the cluster.
   *
   * @param restPort the Web UI / REST port (8081 by default); 0 picks a free one
   * @param slots task slots: each job needs as many as its parallelism
   * @param workDir checkpoints and savepoints go under it
   */
  public static FlinkMiniCluster start(int restPort, int slots, Path workDir) throws Exception {
    return start(restPort, slots, workDir, new Configuration());
  }

  /**
   * Starts the cluster with {@code extra} cluster settings on top of the defaults (e.g. memory,
   * metric reporters). A Prometheus endpoint is added unless {@code extra} configures one ({@code
   * metrics.reporter.prom.*}) or the environment switches it off (see {@link PrometheusEndpoint}).
   */
  public static FlinkMiniCluster start(int restPort, int slots, Path workDir, Configuration extra)
      throws Exception {
    if (restPort != 0) {
      requireFree(restPort);
    }
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_ADDRESS, "localhost");
    conf.set(RestOptions.ADDRESS, "localhost");
    conf.set(RestOptions.BIND_PORT, restPort == 0 ? "0" : Integer.toString(restPort));
    conf.set(RestOptions.PORT, restPort);
    conf.set(CoreOptions.DEFAULT_PARALLELISM, Math.min(2, slots));
    conf.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        workDir.resolve("checkpoints").toUri().toString());
    conf.set(
        CheckpointingOptions.SAVEPOINT_DIRECTORY, workDir.resolve("savepoints").toUri().toString());
    conf.set(CoreOptions.TMP_DIRS, workDir.resolve("tmp").toString());
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    int prometheusPort = prometheusPortOf(extra);
    if (prometheusPort == NOT_GIVEN) {
      prometheusPort = PrometheusEndpoint.configureFromEnvironment(conf);
    }
    conf.addAll(extra);
    long started = System.nanoTime();
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
    cluster.start();
    int port = cluster.getRestAddress().get(30, TimeUnit.SECONDS).getPort();
    LOG.info(
        "Flink MiniCluster up in {} ms: Web UI at http://localhost:{} ({} slots, state under {})",
        (System.nanoTime() - started) / 1_000_000,
        port,
        slots,
        workDir);
    if (prometheusPort > 0) {
      LOG.info("Prometheus metrics at {}", PrometheusEndpoint.url(prometheusPort));
    }
    return new FlinkMiniCluster(cluster, port, workDir, prometheusPort);
  }

  private static final int NOT_GIVEN = -2;

  private static int prometheusPortOf(Configuration extra) {
    String enabled = extra.toMap().get("metrics.reporters");
    if (enabled != null && !java.util.List.of(enabled.split("\\s*,\\s*")).contains("prom")) {
      return -1; // the caller chose its reporters, without Prometheus
    }
    String port = extra.toMap().get(PrometheusEndpoint.REPORTER_PREFIX + "port");
    if (port != null) {
      return Integer.parseInt(port.trim());
    }
    return extra.keySet().stream()
            .anyMatch(key -> key.startsWith(PrometheusEndpoint.REPORTER_PREFIX))
        ? -1
        : NOT_GIVEN;
  }

  private static void requireFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("localhost", port));
    } catch (BindException e) {
      throw new IllegalStateException(
          "port "
              + port
              + " for the Flink Web UI is in use: stop what uses it or pass --web-ui-port");
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot check port " + port + ": " + e.getMessage());
    }
  }

  public int restPort() {
    return restPort;
  }

  /** Port of the Prometheus endpoint ({@code /metrics}), or -1 when there is none. */
  public int prometheusPort() {
    return prometheusPort;
  }

  public String webUiUrl() {
    return "http://localhost:" + restPort;
  }

  public Path workDir() {
    return workDir;
  }

  /** An environment whose jobs run on this cluster, with {@code jobConfiguration} applied. */
  public StreamExecutionEnvironment environment(Configuration jobConfiguration) {
    return StreamExecutionEnvironment.createRemoteEnvironment(
        "localhost", restPort, jobConfiguration);
  }

  /** Submits what {@code env} defines and returns at once. */
  public JobClient submit(StreamExecutionEnvironment env, String jobName) throws Exception {
    JobClient client = env.executeAsync(jobName);
    LOG.info(
        "Submitted {} as job {}: {}/#/job/running/{}/overview",
        jobName,
        client.getJobID(),
        webUiUrl(),
        client.getJobID());
    return client;
  }

  @Override
  public void close() throws Exception {
    miniCluster.closeAsync().get(60, TimeUnit.SECONDS);
    LOG.info("Flink MiniCluster stopped");
  }
}
