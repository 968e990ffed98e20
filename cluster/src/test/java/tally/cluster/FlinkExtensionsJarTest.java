package tally.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.cluster.monitoring.LoopbackPrometheusReporterFactory;
import tally.kafka.local.FreePorts;

class FlinkExtensionsJarTest {

  @Test
  void theWrittenJarOffersTheLoopbackReporterToFlinksServiceLoader(@TempDir Path dir)
      throws Exception {
    Path jar = FlinkExtensionsJar.write(new ClusterLayout(dir));
    // Parent: the platform loader, so the factory can only come from the jar (plus Flink's API).
    try (URLClassLoader loader =
        new URLClassLoader(
            new java.net.URL[] {jar.toUri().toURL()},
            MetricReporterFactory.class.getClassLoader())) {
      List<String> factories = new ArrayList<>();
      ServiceLoader.load(MetricReporterFactory.class, loader)
          .forEach(factory -> factories.add(factory.getClass().getName()));
      assertThat(factories).contains(LoopbackPrometheusReporterFactory.class.getName());
    }
  }

  @Test
  void theReporterServesMetricsOnLocalhost() throws Exception {
    int port = FreePorts.pick();
    Properties properties = new Properties();
    properties.setProperty(LoopbackPrometheusReporterFactory.PORT, Integer.toString(port));
    MetricReporter reporter =
        new LoopbackPrometheusReporterFactory().createMetricReporter(properties);
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
    } finally {
      reporter.close();
    }
  }
}
