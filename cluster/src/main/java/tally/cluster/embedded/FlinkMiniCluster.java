package tally.cluster.embedded;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.cluster.monitoring.PrometheusEndpoint;
import tally.jobs.common.RuntimeOptions;

/**
 * A Flink MiniCluster in this JVM with the REST API and Web UI (flink-runtime-web is on the
 * classpath), for users without a Flink cluster. Jobs are submitted through its REST endpoint, the
 * same way `flink run` submits to a session cluster: their environment starts from this cluster's
 * configuration, as `flink run` starts from config.yaml, and a job adds only its own options on top
 * (docs/flink-configuration.md). The cluster's configuration carries {@link #jobDefaults()}, the
 * settings of Tally's process cluster.
 */
public final class FlinkMiniCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkMiniCluster.class);

  private final MiniCluster miniCluster;
  private final Configuration configuration;
  private final int restPort;
  private final Path workDir;
  private final int prometheusPort;

  private FlinkMiniCluster(
      MiniCluster miniCluster,
      Configuration configuration,
      int restPort,
      Path workDir,
      int prometheusPort) {
    this.miniCluster = miniCluster;
    this.configuration = configuration;
    this.restPort = restPort;
    this.workDir = workDir;
    this.prometheusPort = prometheusPort;
  }

  /**
   * What Tally's clusters give every job: the values deploy/flink/config.yaml sets for the process
   * cluster and docker-compose (a test compares them). Tally's safe defaults for exactly-once (see
   * {@link RuntimeOptions#SAFE_DEFAULTS}: checkpoints every second, retained on cancellation,
   * RocksDB with incremental checkpoints, an exponential-delay restart strategy capped at 10 s,
   * checkpoint timeout 2 min, max parallelism 128), plus tuning a job does not set itself: three
   * retained checkpoints, three tolerated checkpoint failures, RocksDB bloom filters (partitioned,
   * with their index), a small first compaction level, size metrics, no RocksDB LOG files, no
   * object reuse.
   */
  public static Configuration jobDefaults() {
    Configuration conf = new Configuration();
    for (RuntimeOptions.SafeDefault<?> safe : RuntimeOptions.SAFE_DEFAULTS) {
      put(conf, safe);
    }
    conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
    // A checkpoint that fails (e.g. times out under load) is retried at the next interval; its
    // open transactions roll into the next checkpoint. Only repeated failures restart the job.
    conf.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 3);
    conf.setString("state.backend.rocksdb.log.level", "HEADER_LEVEL");
    // Nearly every dedup lookup misses (a txnId is new); the filter answers a miss from memory.
    conf.setString("state.backend.rocksdb.use-bloom-filter", "true");
    // Only the top level of index and filters stays pinned: millions of accounts per subtask
    // would otherwise push their own filters out of the cache on every lookup.
    conf.setString("state.backend.rocksdb.memory.partitioned-index-filters", "true");
    // A small L1: each checkpoint flushes a small L0 file, and with random account keys every
    // L0->L1 compaction rewrites all of L1; Flink's 256 MiB L1 stalls writes at millions of
    // accounts.
    conf.setString("state.backend.rocksdb.compaction.level.max-size-level-base", "32mb");
    conf.setString("state.backend.rocksdb.compaction.level.target-file-size-base", "8mb");
    // RocksDB's size estimates per state (keys, live bytes): state size per account in status.
    conf.setString("state.backend.rocksdb.metrics.estimate-num-keys", "true");
    conf.setString("state.backend.rocksdb.metrics.estimate-live-data-size", "true");
    // Saves a copy per chained hand-over, but makes every function's correctness depend on never
    // touching an emitted or received object again, which no test can prove for all inputs.
    conf.set(PipelineOptions.OBJECT_REUSE, false);
    return conf;
  }

  private static <T> void put(Configuration conf, RuntimeOptions.SafeDefault<T> safe) {
    conf.set(safe.option(), safe.value());
  }

  /**
   * The configuration a MiniCluster started with these arguments gives its jobs (without {@code
   * extra}, REST and metrics settings): {@link #jobDefaults()} with its parallelism and
   * directories. The start-up checks judge a job against it before the cluster starts.
   */
  public static Configuration clusterConfiguration(int slots, Path workDir) {
    Configuration conf = jobDefaults();
    conf.set(CoreOptions.DEFAULT_PARALLELISM, Math.min(2, slots));
    conf.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        workDir.resolve("checkpoints").toUri().toString());
    conf.set(
        CheckpointingOptions.SAVEPOINT_DIRECTORY, workDir.resolve("savepoints").toUri().toString());
    conf.set(CoreOptions.TMP_DIRS, workDir.resolve("tmp").toString());
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, managedMemory(slots));
    return conf;
  }

  /** Managed memory per slot: RocksDB's write buffers and block cache of one subtask. */
  static final MemorySize MANAGED_MEMORY_PER_SLOT = MemorySize.ofMebiBytes(256);

  /** Flink's own managed memory for a local TaskManager, the floor. */
  static final MemorySize LOCAL_MANAGED_MEMORY_FLOOR = MemorySize.ofMebiBytes(128);

  /**
   * The local TaskManager's managed memory: {@link #MANAGED_MEMORY_PER_SLOT} per slot, at most an
   * eighth of the machine's memory, never less than Flink's local default (128 MiB for all slots).
   * Flink's 128 MiB left each RocksDB instance so few write buffers that it flushed and compacted
   * constantly: the cold `run ledger` process spent several times the CPU per record of the bench,
   * which gave its MiniCluster 512 MiB (docs/benchmarks.md, "What users run"). Managed memory is
   * native memory outside the JVM heap ({@code -Xmx}).
   */
  public static MemorySize managedMemory(int slots) {
    return managedMemory(slots, physicalMemoryBytes());
  }

  static MemorySize managedMemory(int slots, long physicalMemoryBytes) {
    long wanted = MANAGED_MEMORY_PER_SLOT.getBytes() * Math.max(1, slots);
    long cap = physicalMemoryBytes / 8;
    return new MemorySize(Math.max(LOCAL_MANAGED_MEMORY_FLOOR.getBytes(), Math.min(wanted, cap)));
  }

  private static long physicalMemoryBytes() {
    // The container's limit where there is one (the JDK reads cgroups).
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean bean
        ? bean.getTotalMemorySize()
        : Long.MAX_VALUE;
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
   * Starts the cluster with {@code extra} cluster settings on top of {@link #clusterConfiguration}
   * (e.g. memory, metric reporters). A Prometheus endpoint is added unless {@code extra} configures
   * one ({@code metrics.reporter.prom.*}) or the environment switches it off (see {@link
   * PrometheusEndpoint}).
   */
  public static FlinkMiniCluster start(int restPort, int slots, Path workDir, Configuration extra)
      throws Exception {
    if (restPort != 0) {
      requireFree(restPort);
    }
    Configuration conf = clusterConfiguration(slots, workDir);
    conf.set(RestOptions.BIND_ADDRESS, "localhost");
    conf.set(RestOptions.ADDRESS, "localhost");
    conf.set(RestOptions.BIND_PORT, restPort == 0 ? "0" : Integer.toString(restPort));
    conf.set(RestOptions.PORT, restPort);
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
    return new FlinkMiniCluster(cluster, conf, port, workDir, prometheusPort);
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

  /**
   * An environment whose jobs run on this cluster. Its configuration is this cluster's, as that of
   * `flink run` is the cluster's config.yaml; a job's {@code define} adds its options on top.
   */
  public StreamExecutionEnvironment environment() {
    return environment(new Configuration());
  }

  /**
   * As {@link #environment()}, with {@code jobConfiguration} on top of the cluster's (program
   * configuration, such as a restore path, the way {@code flink run -s} adds one).
   */
  public StreamExecutionEnvironment environment(Configuration jobConfiguration) {
    Configuration conf = new Configuration(configuration);
    conf.addAll(jobConfiguration);
    return StreamExecutionEnvironment.createRemoteEnvironment("localhost", restPort, conf);
  }

  /** This cluster's configuration, which its jobs start from. */
  public Configuration configuration() {
    return new Configuration(configuration);
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
