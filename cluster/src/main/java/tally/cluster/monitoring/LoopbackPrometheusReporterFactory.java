package tally.cluster.monitoring;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.PortRange;

/**
 * {@code metrics.reporter.prom.factory.class} for {@link LoopbackPrometheusReporter}: options
 * {@code port} (a port or range, as for Flink's reporter; default 9249) and {@code host} (default
 * {@code localhost}).
 */
public final class LoopbackPrometheusReporterFactory implements MetricReporterFactory {

  public static final String HOST = "host";
  public static final String PORT = "port";

  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    String host = properties.getProperty(HOST, "localhost");
    String ports = properties.getProperty(PORT, Integer.toString(PrometheusEndpoint.DEFAULT_PORT));
    return new LoopbackPrometheusReporter(host, new PortRange(ports));
  }
}
