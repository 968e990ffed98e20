package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tally.jobs.common.Topics;
import tally.kafka.local.BrokerSecurity;
import tally.kafka.local.FreePorts;
import tally.kafka.local.KafkaClusterExtension;
import tally.kafka.local.KafkaClusterOptions;
import tally.support.Deadline;
import tally.testkit.acl.LeastPrivilegeAcls;
import tally.testkit.acl.LeastPrivilegeAcls.JobIdentity;

/**
 * No secret of the Kafka client properties shows anywhere Flink or Tally shows things: {@code
 * bin/tally run ledger} (in-process) against a secured broker, once with the password in the {@code
 * --kafka-properties} file and once on the command line ({@code --kafka-property
 * sasl.jaas.config=...}); while it runs, every answer of the REST API behind the Web UI (job
 * overview, details, config, plan, every vertex, exceptions, the JobManager's config) and
 * everything printed or logged (at INFO, where Kafka clients print their whole configuration) is
 * searched for the SCRAM password and the truststore password.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SecretsNotShownIT {
  private static final String LEDGER = "ledger";
  private static final Pattern PASSWORD = Pattern.compile("password=\"([^\"]+)\"");
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final KafkaClusterExtension KAFKA =
      new KafkaClusterExtension(
          KafkaClusterOptions.builder().security(BrokerSecurity.SASL_SSL_SCRAM).build());

  @TempDir Path files;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Properties ledger;
  private List<String> secrets;

  @BeforeAll
  void topicsAclsAndSecrets() throws IOException {
    Topics.DEFAULTS.ledger().forEach(topic -> KAFKA.createTopic(topic, 2));
    LeastPrivilegeAcls.apply(
        KAFKA.admin(), LeastPrivilegeAcls.ledgerJob(LEDGER, Topics.DEFAULTS, JobIdentity.LEDGER));
    ledger = new Properties();
    try (InputStream in = Files.newInputStream(KAFKA.cluster().clientPropertiesFile(LEDGER))) {
      ledger.load(in);
    }
    Matcher scram = PASSWORD.matcher(ledger.getProperty("sasl.jaas.config"));
    assertThat(scram.find()).isTrue();
    secrets = List.of(scram.group(1), ledger.getProperty("ssl.truststore.password"));
    assertThat(secrets).allSatisfy(secret -> assertThat(secret).hasSizeGreaterThan(16));
  }

  @Test
  void withThePasswordInThePropertiesFile() throws Exception {
    Shown shown =
        runLedgerAndLook(
            "--kafka-properties", KAFKA.cluster().clientPropertiesFile(LEDGER).toString());
    shown.assertNoSecret();
  }

  @Test
  void withThePasswordOnTheCommandLine() throws Exception {
    Properties withoutJaas = new Properties();
    withoutJaas.putAll(ledger);
    withoutJaas.remove("sasl.jaas.config");
    Path file = files.resolve("ledger-without-jaas.properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      withoutJaas.store(out, null);
    }
    Shown shown =
        runLedgerAndLook(
            "--kafka-properties",
            file.toString(),
            "--kafka-property",
            "sasl.jaas.config=" + ledger.getProperty("sasl.jaas.config"));
    shown.assertNoSecret();
    assertThat(shown.logs)
        .contains("--kafka-property sasl.jaas.config holds a secret on the command line");
  }

  /** Everything looked at: REST answers by path, the verb's output, the captured log. */
  private final class Shown {
    final Map<String, String> rest = new LinkedHashMap<>();
    String printed = "";
    String logs = "";

    void assertNoSecret() {
      assertThat(rest)
          .containsKeys("/jobs/overview", "/jobmanager/config")
          .hasSizeGreaterThan(8); // overview, job, config, plan, exceptions, JM config, vertices
      assertThat(logs)
          .as("the run logged Kafka's client configuration")
          .contains("sasl.jaas.config");
      for (String secret : secrets) {
        rest.forEach((path, body) -> assertThat(body).as("GET " + path).doesNotContain(secret));
        assertThat(printed).as("printed").doesNotContain(secret);
        assertThat(logs).as("logged").doesNotContain(secret);
      }
    }
  }

  private Shown runLedgerAndLook(String... kafkaOptions) throws Exception {
    int port = FreePorts.pick();
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "ledger",
                "--bootstrap-servers",
                KAFKA.bootstrapServers(),
                "--web-ui-port",
                String.valueOf(port),
                "--work-dir",
                Files.createTempDirectory(files, "work").toString(),
                "--fresh"));
    args.addAll(List.of(kafkaOptions));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TallyCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    Shown shown = new Shown();
    PrintStream console = System.out;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    try (CapturedLogs logs = CapturedLogs.at(Level.INFO)) {
      System.setOut(new PrintStream(new TeeStream(console, stdout), true, StandardCharsets.UTF_8));
      CompletableFuture<Integer> run =
          CompletableFuture.supplyAsync(() -> cli.execute(args.toArray(String[]::new)));
      try {
        String base = "http://localhost:" + port;
        String jobId = awaitRunningJobWithACheckpoint(base, run);
        for (String path :
            List.of(
                "/jobs/overview",
                "/jobs/" + jobId,
                "/jobs/" + jobId + "/config",
                "/jobs/" + jobId + "/plan",
                "/jobs/" + jobId + "/exceptions",
                "/jobs/" + jobId + "/checkpoints",
                "/jobs/" + jobId + "/jobmanager/config",
                "/jobmanager/config")) {
          shown.rest.put(path, get(base + path));
        }
        for (JsonNode vertex : JSON.readTree(shown.rest.get("/jobs/" + jobId)).path("vertices")) {
          String path = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText();
          shown.rest.put(path, get(base + path));
        }
      } finally {
        ShutdownSignal.requestAllForTests();
        assertThat(run.get(90, TimeUnit.SECONDS)).as(err.toString()).isZero();
        System.setOut(console);
      }
      shown.logs = logs.text();
    }
    shown.printed = out + "\n" + err + "\n" + stdout.toString(StandardCharsets.UTF_8);
    return shown;
  }

  /** The job's id, once it runs and has completed a checkpoint (every Kafka client is up). */
  private String awaitRunningJobWithACheckpoint(String base, CompletableFuture<Integer> run)
      throws Exception {
    String[] jobId = new String[1];
    boolean ready =
        Deadline.in(Duration.ofSeconds(90))
            .await(
                () -> {
                  if (run.isDone()) {
                    return true;
                  }
                  try {
                    for (JsonNode job : JSON.readTree(get(base + "/jobs/overview")).path("jobs")) {
                      if (job.path("state").asText().equals("RUNNING")) {
                        String id = job.path("jid").asText();
                        JsonNode counts =
                            JSON.readTree(get(base + "/jobs/" + id + "/checkpoints"))
                                .path("counts");
                        if (counts.path("completed").asInt() > 0) {
                          jobId[0] = id;
                          return true;
                        }
                      }
                    }
                  } catch (IOException | RuntimeException notYet) {
                    // the REST API is not up yet
                  }
                  return false;
                },
                () -> null,
                Duration.ofMillis(500));
    assertThat(run).as("run ledger ended early").isNotDone();
    assertThat(ready && jobId[0] != null).as("a running ledger job with a checkpoint").isTrue();
    return jobId[0];
  }

  private String get(String url) throws IOException {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("GET " + url + ": " + response.statusCode());
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Writes to the console and into a buffer. */
  private static final class TeeStream extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    TeeStream(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      first.flush();
      second.flush();
    }
  }
}
