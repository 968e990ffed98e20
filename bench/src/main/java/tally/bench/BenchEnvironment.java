package tally.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import tally.cluster.FlinkRestClient;
import tally.cluster.embedded.FlinkMiniCluster;
import tally.kafka.local.EmbeddedKafkaBroker;
import tally.testkit.audit.ConsumerGroupLag;

/** The broker and the Flink MiniCluster that every run of one bench invocation shares. */
final class BenchEnvironment implements AutoCloseable {

  final BenchSettings settings;
  final EmbeddedKafkaBroker broker;
  final Admin admin;
  final ConsumerGroupLag lag;
  final FlinkMiniCluster flink;
  final FlinkRestClient rest;
  final CpuClock cpu;
  final Path workDir;
  private final AtomicInteger runs = new AtomicInteger();

  private BenchEnvironment(
      BenchSettings settings, EmbeddedKafkaBroker broker, FlinkMiniCluster flink, Path workDir) {
    this.settings = settings;
    this.broker = broker;
    this.flink = flink;
    this.workDir = workDir;
    this.admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    this.lag = new ConsumerGroupLag(broker.bootstrapServers());
    this.rest = new FlinkRestClient(flink.webUiUrl());
    this.cpu = new CpuClock(broker.pid());
  }

  static BenchEnvironment start(BenchSettings settings, Path workDir) throws Exception {
    EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder()
            .workDir(workDir.resolve("kafka"))
            .startupTimeout(Duration.ofSeconds(90))
            .start();
    try {
      return new BenchEnvironment(settings, broker, startFlink(settings, workDir), workDir);
    } catch (Exception | Error e) {
      broker.close();
      throw e;
    }
  }

  private static FlinkMiniCluster startFlink(BenchSettings settings, Path workDir)
      throws Exception {
    Configuration conf = new Configuration();
    conf.setString("web.checkpoints.history", "5000"); // every checkpoint of a run, for p99
    conf.setString("metrics.reporters", InProcessCounters.NAME); // no Prometheus endpoint here
    InProcessCounters.configure(conf);
    return FlinkMiniCluster.start(0, settings.parallelism(), workDir.resolve("flink"), conf);
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** A fresh name for a run's topics, group and transactional ids. */
  String nextRunName(String slug) {
    return "b" + runs.incrementAndGet() + "-" + slug;
  }

  @Override
  public void close() throws Exception {
    try {
      admin.close(Duration.ofSeconds(5));
      lag.close();
      flink.close();
    } finally {
      broker.close();
    }
  }
}
