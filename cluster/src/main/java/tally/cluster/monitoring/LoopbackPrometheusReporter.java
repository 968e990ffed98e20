package tally.cluster.monitoring;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Iterator;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.util.PortRange;

/**
 * Flink's Prometheus reporter, serving on one address instead of all of them: Flink's own {@code
 * PrometheusReporter} binds its HTTP endpoint to every interface and has no host option, so the
 * no-Docker cluster and the demo, which keep every endpoint on loopback, use this one. Everything
 * else (metric names, labels, the registry Flink's base class fills) is Flink's.
 */
public final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {

  private final HTTPServer server;
  private final int port;

  LoopbackPrometheusReporter(String host, PortRange ports) {
    HTTPServer started = null;
    int bound = -1;
    IOException last = null;
    Iterator<Integer> candidates = ports.getPortsIterator();
    while (started == null && candidates.hasNext()) {
      int candidate = candidates.next();
      try {
        started = new HTTPServer(new InetSocketAddress(host, candidate), registry(), true);
        bound = candidate;
      } catch (IOException e) {
        last = e;
      }
    }
    if (started == null) {
      throw new IllegalArgumentException(
          "cannot serve Prometheus metrics on " + host + ":" + ports + ": " + last, last);
    }
    this.server = started;
    this.port = bound;
    log.info("Prometheus metrics on http://{}:{}/metrics", host, port);
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    server.stop();
    super.close();
  }

  /**
   * The registry Flink's base class registers every metric in: private there (Flink's subclasses
   * are in its package), so read once by reflection.
   */
  private CollectorRegistry registry() {
    try {
      Field field = AbstractPrometheusReporter.class.getDeclaredField("registry");
      field.setAccessible(true);
      return (CollectorRegistry) field.get(this);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "this Flink's Prometheus reporter has no 'registry' field: " + e, e);
    }
  }
}
