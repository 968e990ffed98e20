package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import tally.connectors.kafka.KafkaClientProperties;
import tally.connectors.kafka.KafkaConnection;
import tally.jobs.common.Topics;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerJobOptions;
import tally.kafka.local.BrokerSecurity;
import tally.kafka.local.KafkaClusterExtension;
import tally.kafka.local.KafkaClusterOptions;
import tally.testkit.acl.LeastPrivilegeAcls;
import tally.testkit.acl.LeastPrivilegeAcls.JobIdentity;
import tally.testkit.acl.TallyAcl;

/**
 * {@code bin/tally run ledger} against a secured broker (SASL_SSL/SCRAM, ACLs deny by default)
 * refuses to start on each kind of security misconfiguration with one line naming the cause and
 * exit code 1: before any Flink job exists, so there is no restart loop, and without a stack trace
 * in the log. With exactly the least-privilege ACLs it passes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SecuredStartupChecksIT {
  private static final Logger LOG = LoggerFactory.getLogger(SecuredStartupChecksIT.class);
  private static final String LEDGER = "ledger";

  @RegisterExtension
  static final KafkaClusterExtension KAFKA =
      new KafkaClusterExtension(
          KafkaClusterOptions.builder().security(BrokerSecurity.SASL_SSL_SCRAM).build());

  private static final Topics TOPICS = Topics.underPrefix("refusals");

  @TempDir Path files;

  @BeforeAll
  void topicsAndLeastPrivilegeAcls() {
    TOPICS.ledger().forEach(topic -> KAFKA.createTopic(topic, 2));
    KAFKA.createTopic("refusals.not-granted", 1);
    LeastPrivilegeAcls.apply(
        KAFKA.admin(), LeastPrivilegeAcls.ledgerJob(LEDGER, TOPICS, JobIdentity.LEDGER));
  }

  @Test
  void passesWithTheLeastPrivilegeAcls() {
    LedgerJobOptions options = LedgerJobOptions.defaults();
    options.topicOptions.set(TOPICS);
    options.runtime.checkpointDir = files.resolve("checkpoints").toUri().toString();
    options.kafka.connection(
        new KafkaConnection(
            KAFKA.bootstrapServers(),
            KafkaClientProperties.load(KAFKA.cluster().clientPropertiesFile(LEDGER), List.of())));
    try (CapturedLogs logs = CapturedLogs.shownAt(Level.WARN)) {
      LedgerJob.verify(options);
      assertThat(logs.text()).doesNotContain("Could not read transaction.max.timeout.ms");
    }
  }

  @Test
  void aWrongPasswordIsRefusedAsAuthentication() throws IOException {
    Properties ledger = ledgerProperties();
    ledger.setProperty(
        "sasl.jaas.config",
        ledger
            .getProperty("sasl.jaas.config")
            .replaceFirst("password=\"[^\"]*\"", "password=\"not-the-password\""));

    Refusal refusal = runLedger(write("wrong-password.properties", ledger));

    refusal.assertOneLine();
    assertThat(refusal.line())
        .startsWith("tally ledger: Kafka at " + KAFKA.bootstrapServers())
        .contains("refused authentication (SASL SCRAM-SHA-512)")
        .contains("check the user name and password in sasl.jaas.config");
  }

  @Test
  void aTruststoreOfAnotherCaIsRefusedAsTls() throws Exception {
    Path otherCa = truststoreOfAnotherCa();
    Properties ledger = ledgerProperties();
    ledger.setProperty("ssl.truststore.location", otherCa.toString());
    ledger.setProperty("ssl.truststore.password", "other-ca-password");

    Refusal refusal = runLedger(write("other-ca.properties", ledger));

    refusal.assertOneLine();
    assertThat(refusal.line())
        .startsWith("tally ledger: TLS handshake with Kafka at " + KAFKA.bootstrapServers())
        .contains("check that ssl.truststore.* trusts the brokers' certificates");
  }

  @Test
  void aPlaintextClientAgainstTheTlsListenerIsToldToCheckSecurityProtocol() throws IOException {
    Properties plaintext = new Properties();
    plaintext.setProperty("bootstrap.servers", KAFKA.bootstrapServers());

    Refusal refusal = runLedger(write("plaintext.properties", plaintext));

    refusal.assertOneLine();
    assertThat(refusal.line())
        .startsWith("tally ledger: cannot reach Kafka at " + KAFKA.bootstrapServers())
        .contains("check security.protocol in --kafka-properties (now PLAINTEXT, the default;");
  }

  @Test
  void missingAclsAreRefusedNamingEachOperationAndResource() throws IOException {
    Refusal refusal =
        runLedger(
            KAFKA.cluster().clientPropertiesFile(LEDGER),
            Map.of(
                "--dlq-topic", "refusals.not-granted",
                "--group-id", "not-granted-group",
                "--transactional-id-prefix", "not-granted-prefix"));

    refusal.assertOneLine();
    assertThat(refusal.line())
        .startsWith(
            "tally ledger: Kafka at "
                + KAFKA.bootstrapServers()
                + " does not allow the job's principal ")
        .contains("WRITE on Topic refusals.not-granted (the Kafka sink writes it)")
        .contains("READ on Topic refusals.not-granted (the exactly-once sink's recovery")
        .contains("READ on Group not-granted-group")
        .contains("WRITE on TransactionalId prefix not-granted-prefix")
        .contains("bin/tally acls")
        .doesNotContain("refusals.balances", "refusals.transactions");
  }

  /**
   * DESCRIBE alone on the transactional-id prefix passes a describe probe but not the sink's first
   * transaction: the start-up check initializes a probe producer under the prefix, and is refused.
   */
  @Test
  void describeWithoutWriteOnTheTransactionalIdPrefixIsRefused() throws IOException {
    String prefix = "describe-only-prefix";
    LeastPrivilegeAcls.apply(
        KAFKA.admin(),
        List.of(
            new TallyAcl(
                LEDGER,
                AclOperation.DESCRIBE,
                ResourceType.TRANSACTIONAL_ID,
                PatternType.PREFIXED,
                prefix,
                "describe only, for this test")));

    Refusal refusal =
        runLedger(
            KAFKA.cluster().clientPropertiesFile(LEDGER),
            Map.of("--transactional-id-prefix", prefix));

    refusal.assertOneLine();
    assertThat(refusal.line())
        .startsWith(
            "tally ledger: Kafka at "
                + KAFKA.bootstrapServers()
                + " does not allow the job's principal WRITE on TransactionalId prefix "
                + prefix
                + " (the exactly-once sink's transactions "
                + prefix
                + "-<subtask>-<n>)")
        .doesNotContain(" on Topic ", " on Group ");
  }

  /** What one refused start printed on stderr, and what was logged meanwhile. */
  private record Refusal(int exit, String err, String out, List<CapturedLogs.Event> logs) {
    String line() {
      return err.strip();
    }

    void assertOneLine() {
      LOG.info("Refused: {}", line());
      String context = "stderr:\n" + err + "\nstdout:\n" + out + "\nlogs:\n" + logText();
      assertThat(exit).as(context).isEqualTo(1);
      assertThat(line()).as(context).isNotEmpty().doesNotContain("\n");
      assertThat(out).as(context).doesNotContain("running; Web UI"); // no job was started
      // What the console shows besides: at most the Kafka client's own line per failed
      // connection (bin/tally shows Kafka's errors only), never a stack trace.
      assertThat(logs)
          .as("no stack trace logged:\n" + logText())
          .allSatisfy(event -> assertThat(event.stackTrace()).isNull())
          .hasSizeLessThanOrEqualTo(3);
    }

    private String logText() {
      StringBuilder text = new StringBuilder();
      logs.forEach(event -> text.append(event.text()).append('\n'));
      return text.toString();
    }
  }

  private Refusal runLedger(Path properties) {
    return runLedger(properties, Map.of());
  }

  /** {@code run ledger} on the test's topics, with {@code overrides} of its options. */
  private Refusal runLedger(Path properties, Map<String, String> overrides) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("--bootstrap-servers", KAFKA.bootstrapServers());
    options.put("--kafka-properties", properties.toString());
    options.put("--input-topic", TOPICS.transactions());
    options.put("--balances-topic", TOPICS.balances());
    options.put("--alerts-topic", TOPICS.alerts());
    options.put("--dlq-topic", TOPICS.dlq());
    options.put("--web-ui-port", "0");
    options.put("--work-dir", files.resolve("work").toString());
    options.putAll(overrides);
    List<String> args = new ArrayList<>(List.of("run", "ledger"));
    options.forEach(
        (option, value) -> {
          args.add(option);
          args.add(value);
        });
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TallyCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    try (CapturedLogs logs = CapturedLogs.shownAt(Level.WARN)) {
      int exit = cli.execute(args.toArray(String[]::new));
      return new Refusal(exit, err.toString(), out.toString(), logs.events());
    }
  }

  private static Properties ledgerProperties() throws IOException {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(KAFKA.cluster().clientPropertiesFile(LEDGER))) {
      properties.load(in);
    }
    return properties;
  }

  private Path write(String name, Properties properties) throws IOException {
    Path file = files.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      properties.store(out, null);
    }
    return file;
  }

  /** A PKCS12 truststore holding only the certificate of a CA that signed nothing of Kafka's. */
  private Path truststoreOfAnotherCa() throws Exception {
    Path keystore = files.resolve("other-ca-key.p12");
    Path certificate = files.resolve("other-ca.crt");
    Path truststore = files.resolve("other-ca-truststore.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "other-ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=Some other CA",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "other-ca-password");
    keytool(
        "-exportcert",
        "-alias",
        "other-ca",
        "-rfc",
        "-file",
        certificate.toString(),
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "other-ca-password");
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "other-ca",
        "-file",
        certificate.toString(),
        "-keystore",
        truststore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "other-ca-password");
    return truststore;
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)
        || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("keytool " + String.join(" ", args) + ": " + output);
    }
  }
}
