package tally.cluster.monitoring;

import org.apache.flink.configuration.Configuration;
import tally.kafka.local.FreePorts;

/**
 * The Prometheus metrics endpoint of a local Flink (MiniCluster): Flink's {@code
 * flink-metrics-prometheus} reporter bound to loopback ({@link LoopbackPrometheusReporter}),
 * serving every job, task and operator metric (Tally's counters in group {@code tally} among them)
 * on {@code http://localhost:<port>/metrics}.
 *
 * <p>The port comes from {@code TALLY_PROMETHEUS_PORT} (or {@code -Dtally.prometheus.port}): a
 * number, {@code 0} for any free port, or {@code off}. Default: 9249, Prometheus' usual Flink port,
 * or any free port when 9249 is taken (a second local cluster must not fail to start).
 */
public final class PrometheusEndpoint {

  public static final int DEFAULT_PORT = 9249;
  public static final String REPORTER_PREFIX = "metrics.reporter.prom.";
  public static final String FACTORY = LoopbackPrometheusReporterFactory.class.getName();

  private PrometheusEndpoint() {}

  /**
   * Adds the reporter to {@code conf} on the port the environment asks for.
   *
   * @return the port it will serve on, or -1 when switched off
   */
  public static int configureFromEnvironment(Configuration conf) {
    String setting =
        System.getProperty("tally.prometheus.port", System.getenv("TALLY_PROMETHEUS_PORT"));
    if (setting == null || setting.isBlank()) {
      return configure(conf, FreePorts.preferring(DEFAULT_PORT));
    }
    if (setting.trim().equalsIgnoreCase("off")) {
      return -1;
    }
    int port;
    try {
      port = Integer.parseInt(setting.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "TALLY_PROMETHEUS_PORT must be a port number, 0 or 'off', was '" + setting + "'");
    }
    return configure(conf, port == 0 ? FreePorts.pick() : port);
  }

  /** Adds the reporter to {@code conf} on exactly {@code port}; returns it. */
  public static int configure(Configuration conf, int port) {
    conf.setString(REPORTER_PREFIX + "factory.class", FACTORY);
    conf.setString(REPORTER_PREFIX + "port", Integer.toString(port));
    conf.setString(REPORTER_PREFIX + LoopbackPrometheusReporterFactory.HOST, "localhost");
    return port;
  }

  /** Where a scraper finds the metrics. */
  public static String url(int port) {
    return "http://localhost:" + port + "/metrics";
  }
}
