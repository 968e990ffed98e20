package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tally.cluster.embedded.FlinkMiniCluster;
import tally.cluster.monitoring.PrometheusEndpoint;
import tally.jobs.common.Delivery;
import tally.jobs.ledger.LedgerJob;
import tally.kafka.local.FreePorts;
import tally.kafka.local.KafkaClusterExtension;
import tally.testkit.LedgerScenario;
import tally.testkit.generate.TransactionProducer;

/**
 * What an operator sees of a running ledger job: its metrics on the Prometheus endpoint of the
 * local Flink, and its health from {@code tally status}.
 */
class MonitoringIT {

  @RegisterExtension static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();

  @TempDir Path workDir;

  @Test
  void aRunningJobsMetricsAreScrapedAndStatusReportsItHealthy() throws Exception {
    int prometheusPort = FreePorts.pick();
    Configuration cluster = new Configuration();
    cluster.setString(
        "metrics.fetcher.update-interval", "2s"); // the REST API's view of metrics, for status
    PrometheusEndpoint.configure(cluster, prometheusPort);
    try (FlinkMiniCluster flink = FlinkMiniCluster.start(0, 2, workDir.resolve("flink"), cluster)) {
      assertThat(flink.prometheusPort()).isEqualTo(prometheusPort);
      LedgerScenario scenario =
          new LedgerScenario(
              KAFKA, "monitoring", Delivery.EXACTLY_ONCE, workDir.resolve("checkpoints"));
      var env = flink.environment();
      LedgerJob.define(env, scenario.options);
      JobClient job = flink.submit(env, scenario.name);
      try (TransactionProducer generator = scenario.generator(3_000, 1_500)) {
        generator.run();

        // Tally's counters, as Prometheus names them: <scope>_<group>_<name>.
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () ->
                    sum(scrape(prometheusPort), "flink_taskmanager_job_task_operator_tally_applied")
                        > 0);
        String metrics = scrape(prometheusPort);
        assertThat(metrics)
            .contains("flink_taskmanager_job_task_operator_tally_duplicatesDropped")
            .contains("flink_taskmanager_job_task_operator_tally_deadLettered")
            .contains("flink_taskmanager_job_task_operator_tally_overdrafts")
            .contains("flink_jobmanager_job_numRestarts")
            .contains("flink_jobmanager_job_lastCheckpointDuration")
            .contains("_pendingRecords") // source lag
            .contains("_rocksdb_estimate_num_keys"); // state size per state
        // The Grafana dashboard (docker-compose) charts only metrics a running job really has.
        assertThat(dashboardMetricNames())
            .isNotEmpty()
            .allSatisfy(name -> assertThat(metrics).contains(name + "{"));
        metrics
            .lines()
            .filter(
                line ->
                    !line.startsWith("#")
                        && (line.contains("tally")
                            || line.contains("rocksdb")
                            || line.contains("pendingRecords")
                            || line.contains("EventTimeLag")))
            .map(
                line ->
                    line.substring(
                        0, line.indexOf('{') < 0 ? line.indexOf(' ') : line.indexOf('{')))
            .distinct()
            .forEach(name -> System.out.println("scraped: " + name));

        // Healthy once a checkpoint completed; the REST metrics refresh every 10 s.
        StringWriter out = new StringWriter();
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofSeconds(2))
            .until(() -> status(flink.webUiUrl(), out) == 0 && out.toString().contains("applied"));
        assertThat(out.toString())
            .contains(scenario.name)
            .contains("RUNNING")
            .contains("checkpoints")
            .contains("HEALTHY");
      } finally {
        job.cancel().get();
      }
    }
  }

  private static int status(String restUrl, StringWriter out) {
    out.getBuffer().setLength(0);
    CommandLine cli = TallyCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    return cli.execute("status", "--rest-url", restUrl);
  }

  private static String scrape(int port) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(PrometheusEndpoint.url(port)))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** Metric names in the provisioned dashboard's queries (name patterns left out). */
  private static java.util.Set<String> dashboardMetricNames() throws Exception {
    var dashboard =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                tally.cluster.TallyHome.locate()
                    .root()
                    .resolve("deploy/grafana/dashboards/tally-ledger.json")
                    .toFile());
    java.util.Set<String> names = new java.util.TreeSet<>();
    java.util.regex.Pattern metric =
        java.util.regex.Pattern.compile("\\bflink_[A-Za-z_]+\\b(?![\\\"=~.])");
    dashboard
        .path("panels")
        .forEach(
            panel ->
                panel
                    .path("targets")
                    .forEach(
                        target -> {
                          var matcher = metric.matcher(target.path("expr").asText());
                          while (matcher.find()) {
                            names.add(matcher.group());
                          }
                        }));
    return names;
  }

  /** Sum of a metric's samples over all label sets (one per subtask). */
  private static double sum(String exposition, String metric) {
    return exposition
        .lines()
        .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
