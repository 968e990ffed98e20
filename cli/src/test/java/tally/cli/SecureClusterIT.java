package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tally.cluster.ClusterState;
import tally.cluster.FlinkRestClient;
import tally.connectors.kafka.KafkaClientProperties.ClientKind;
import tally.jobs.common.Topics;

/**
 * {@code cluster up --secure} as issue-free as a user needs it: Kafka only over SASL_SSL with
 * least-privilege principals, Flink REST over TLS with no jar upload, every endpoint on loopback,
 * secrets only in owner-readable files and never in a log; then a chaos run with one fault of each
 * kind (submitted with {@code flink run}, every client its own principal) that loses nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureClusterIT {
  private static ProcessClusterFixture cluster;
  private static ClusterState state;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = ProcessClusterFixture.up("--secure");
    state = cluster.state;
    assertThat(state.secured()).isTrue();
  }

  @AfterAll
  static void stopCluster() throws IOException {
    cluster.close();
  }

  @Test
  @Order(1)
  void flinkServesRestOnlyOverTlsOnLoopbackAndRefusesJarUploads() throws Exception {
    assertThat(state.webUiUrl()).startsWith("https://localhost:");
    FlinkRestClient rest = state.rest();
    assertThat(rest.taskManagers()).hasSize(2);
    JsonNode config = rest.get("/config");
    assertThat(config.path("features").path("web-submit").asBoolean(true))
        .as(config.toString())
        .isFalse();

    // Plain HTTP on the REST port gets no answer from the API (a TLS alert, or an error status).
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<String> response =
          plain.send(
              HttpRequest.newBuilder(
                      URI.create("http://localhost:" + state.ports().webUi() + "/config"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("plain HTTP against the TLS endpoint").isNotEqualTo(200);
      assertThat(response.body()).doesNotContain("features");
    } catch (IOException refused) {
      // the TLS endpoint does not speak plain HTTP at all
    }

    // The REST API shows the configuration, with every password masked.
    String jobManagerConfig = rest.get("/jobmanager/config").toString();
    assertThat(jobManagerConfig).contains("security.ssl.internal.enabled");
    assertThat(secrets()).allSatisfy(secret -> assertThat(jobManagerConfig).doesNotContain(secret));

    for (String entry : state.ports().describeAll()) {
      int port = Integer.parseInt(entry.substring(0, entry.indexOf(' ')));
      assertThat(ProcessClusterFixture.listeningAddresses(port))
          .as("listening addresses of %s", entry)
          .allMatch(address -> address.equals("127.0.0.1") || address.equals("::1"));
    }
  }

  @Test
  @Order(2)
  void kafkaTakesOnlyAuthenticatedPrincipalsAndEachOnlyWhatItsAclsAllow() throws Exception {
    // PLAINTEXT against the SASL_SSL listener: no metadata, ever.
    try (Admin plaintext =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, state.ports().bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000))) {
      Throwable refused =
          catchThrowable(() -> plaintext.describeCluster().nodes().get(10, TimeUnit.SECONDS));
      assertThat(refused).isNotNull();
    }

    // The generator may write the transactions, not read the balances.
    String balances = Topics.DEFAULTS.balances();
    try (KafkaConsumer<byte[], byte[]> generator =
        new KafkaConsumer<>(
            state
                .kafka("generator")
                .config(
                    ClientKind.TOOL_CONSUMER,
                    Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      generator.assign(List.of(new TopicPartition(balances, 0)));
      Throwable denied =
          catchThrowable(
              () -> {
                generator.seekToBeginning(generator.assignment());
                generator.poll(Duration.ofSeconds(10));
              });
      assertThat(denied).isInstanceOf(TopicAuthorizationException.class);
    }

    // The auditor (read-only) lists the topics it may read, and cannot create one.
    try (Admin auditor = state.kafka("auditor").createAdmin(Map.of())) {
      assertThat(auditor.listTopics().names().get(30, TimeUnit.SECONDS)).contains(balances);
      Throwable create =
          catchThrowable(
              () ->
                  auditor
                      .createTopics(
                          List.of(
                              new org.apache.kafka.clients.admin.NewTopic("tally.x", 1, (short) 3)))
                      .all()
                      .get(30, TimeUnit.SECONDS));
      assertThat(create).isInstanceOf(ExecutionException.class);
    }
  }

  @Test
  @Order(3)
  void aChaosRunAsLeastPrivilegedPrincipalsRecoversAndLosesNothing() throws Exception {
    // The faults that make the secured clients reconnect, re-authenticate and find new leaders;
    // the other kinds run on the plaintext cluster in its own network (ClusterIT).
    cluster.chaos(List.of("tm-kill", "broker-kill"));
  }

  @Test
  @Order(4)
  void secretsStayInOwnerOnlyFilesAndOutOfEveryLog() throws Exception {
    List<Path> secretFiles = new ArrayList<>();
    secretFiles.add(cluster.layout.flinkConfig());
    for (int node = 1; node <= 3; node++) {
      secretFiles.add(cluster.layout.brokerConfig(node));
    }
    try (Stream<Path> files = Files.walk(cluster.layout.securityDir())) {
      // ca.crt is a certificate, public by nature; everything else holds or protects a secret.
      files
          .filter(Files::isRegularFile)
          .filter(file -> !file.getFileName().toString().endsWith(".crt"))
          .forEach(secretFiles::add);
    }
    for (Path file : secretFiles) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .as("mode of %s", file)
          .isEqualTo("rw-------");
    }
    Set<String> secrets = secrets();
    assertThat(secrets).hasSizeGreaterThanOrEqualTo(7); // 5 principals + keystore + truststore
    try (Stream<Path> logs = Files.walk(cluster.layout.logsDir())) {
      for (Path log : logs.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(log, StandardCharsets.ISO_8859_1);
        for (String secret : secrets) {
          assertThat(text.contains(secret)).as("a secret in %s", log).isFalse();
        }
      }
    }
  }

  /** Every password of the cluster: the SCRAM passwords and the Flink keystore passwords. */
  private static Set<String> secrets() throws IOException {
    Set<String> secrets = new java.util.TreeSet<>();
    Path clients = cluster.layout.securityDir().resolve("clients");
    try (Stream<Path> files = Files.list(clients)) {
      for (Path file : files.toList()) {
        String jaas = load(file).getProperty("sasl.jaas.config");
        java.util.regex.Matcher password =
            java.util.regex.Pattern.compile("password=\"([^\"]+)\"").matcher(jaas);
        assertThat(password.find()).as(file.toString()).isTrue();
        secrets.add(password.group(1));
      }
    }
    Properties flink = load(cluster.layout.securityDir().resolve("flink-tls.properties"));
    secrets.add(flink.getProperty("keystore-password"));
    secrets.add(flink.getProperty("truststore-password"));
    return secrets;
  }

  private static Properties load(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    }
    return properties;
  }
}
