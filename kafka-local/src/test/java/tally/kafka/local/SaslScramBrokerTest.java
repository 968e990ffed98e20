package tally.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static tally.kafka.local.SecuredClients.createTopic;
import static tally.kafka.local.SecuredClients.grant;
import static tally.kafka.local.SecuredClients.impatientAdmin;
import static tally.kafka.local.SecuredClients.producerAndConsumerAcls;
import static tally.kafka.local.SecuredClients.readAsGroup;
import static tally.kafka.local.SecuredClients.with;
import static tally.kafka.local.SecuredClients.writeTransaction;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SASL_SSL/SCRAM-SHA-512 broker for the whole class (a start costs ~5 s of a 2-core box). The
 * methods run in order: the log check comes last, after every kind of client has connected, been
 * refused and failed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SaslScramBrokerTest {

  private static final Logger LOG = LoggerFactory.getLogger(SaslScramBrokerTest.class);
  private static final String TOPIC = "payments";

  private LogCapture logs;
  private EmbeddedKafkaBroker broker;
  private Admin admin;

  /** Every exception the clients threw in this class: none may quote a password either. */
  private final Refusals refusals = new Refusals();

  @BeforeAll
  void startBroker() throws Exception {
    logs = LogCapture.start();
    long started = System.nanoTime();
    broker = EmbeddedKafkaBroker.builder().security(BrokerSecurity.SASL_SSL_SCRAM).start();
    LOG.info(
        "Secured broker ready in {} ms: {}",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        broker.describe());
    admin = Admin.create(broker.clientProperties(BrokerSecurity.ADMIN));
    createTopic(admin, TOPIC, 2);
  }

  @AfterAll
  void stopBroker() {
    try {
      if (admin != null) {
        admin.close();
      }
      if (broker != null) {
        broker.close();
      }
    } finally {
      if (logs != null) {
        logs.close();
      }
    }
  }

  @Test
  @Order(1)
  void writesAPrivateClientPropertiesFilePerPrincipal() throws Exception {
    assertThat(broker.security()).isEqualTo(BrokerSecurity.SASL_SSL_SCRAM);
    assertThat(broker.principals()).containsExactlyElementsOf(BrokerSecurity.DEFAULT_PRINCIPALS);
    assertThat(broker.describe()).endsWith(broker.bootstrapServers() + ", SASL_SSL_SCRAM");

    for (String principal : broker.principals()) {
      Path file = broker.clientPropertiesFile(principal);
      assertThat(file)
          .isEqualTo(broker.workDir().resolve("clients").resolve(principal + ".properties"));
      assertThat(SecuredFiles.mode(file)).isEqualTo("rw-------");
      Properties loaded = SecuredFiles.load(file);
      assertThat(loaded).isEqualTo(broker.clientProperties(principal));
      assertThat(loaded)
          .containsEntry("bootstrap.servers", broker.bootstrapServers())
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsEntry("ssl.truststore.type", "PKCS12")
          .containsKeys("sasl.jaas.config", "ssl.truststore.location", "ssl.truststore.password");
      assertThat(loaded.getProperty("sasl.jaas.config")).contains("username=\"" + principal + "\"");
    }
    // Each principal its own random password.
    assertThat(
            broker.principals().stream()
                .map(
                    p ->
                        broker
                            .clientProperties(p)
                            .getProperty("sasl.jaas.config")
                            .replace("username=\"" + p + "\"", "")))
        .doesNotHaveDuplicates();
    assertThat(SecuredFiles.mode(broker.workDir().resolve("server.properties")))
        .isEqualTo("rw-------");
    assertThat(SecuredFiles.mode(broker.workDir().resolve("clients"))).isEqualTo("rwx------");
    assertThat(SecuredFiles.load(broker.workDir().resolve("server.properties")))
        .containsEntry(
            "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
        .containsEntry("allow.everyone.if.no.acl.found", "false")
        .containsEntry("super.users", "User:admin;User:broker");
  }

  @Test
  @Order(1)
  void theBrokerCertificateNamesLocalhostAndIsSignedByTheTruststoresCa() throws Exception {
    Properties client = broker.clientProperties("ledger");
    KeyStore truststore =
        SecuredFiles.keystore(
            Path.of(client.getProperty("ssl.truststore.location")),
            client.getProperty("ssl.truststore.password"));
    assertThat(Collections.list(truststore.aliases()))
        .singleElement()
        .satisfies(
            alias -> assertThat(truststore.isCertificateEntry(alias)).isTrue()); // no private key
    X509Certificate ca =
        (X509Certificate) truststore.getCertificate(truststore.aliases().nextElement());

    X509Certificate served = SecuredFiles.serverCertificate(broker.port(), truststore);
    served.verify(ca.getPublicKey());
    assertThat(served.getSubjectX500Principal().getName()).isEqualTo("CN=broker");
    assertThat(served.getSubjectAlternativeNames())
        .extracting(san -> (Object) san.get(1))
        .containsExactlyInAnyOrder("localhost", "127.0.0.1");
    // Clients that connect by IP get through the host name check too.
    assertThat(SecuredFiles.serverCertificate("127.0.0.1", broker.port(), truststore))
        .isEqualTo(served);
    assertThat(Files.readString(broker.caCertificate())).startsWith("-----BEGIN CERTIFICATE-----");
    try (InputStream pem = Files.newInputStream(broker.caCertificate())) {
      assertThat(
              java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(pem))
          .isEqualTo(ca);
    }
  }

  @Test
  @Order(2)
  void theAdminCreatesTopicsAndAclsAndAGrantedPrincipalProducesAndConsumes() throws Exception {
    createTopic(admin, "ledger-out", 1);
    grant(admin, producerAndConsumerAcls("ledger", TOPIC, "ledger-tx", "ledger-group"));
    assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(TOPIC, "ledger-out");

    Properties ledger = broker.clientProperties("ledger");
    writeTransaction(ledger, "ledger-tx", TOPIC, "p1", "p2", "p3");

    assertThat(readAsGroup(ledger, TOPIC, "ledger-group", 3))
        .containsExactlyInAnyOrder("p1", "p2", "p3");
    assertThat(
            admin
                .listConsumerGroupOffsets("ledger-group")
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS))
        .isNotEmpty();
  }

  @Test
  @Order(3)
  void aPlaintextClientIsRefused() throws Exception {
    Properties plaintext = new Properties();
    plaintext.setProperty("bootstrap.servers", broker.bootstrapServers());

    // Kafka clients see only "Node -1 disconnected" and retry: the call times out, without any
    // metadata.
    assertThat(refusals.ofAdmin(plaintext))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("Timed out waiting for a node assignment");

    // On the wire the refusal is immediate: a plaintext Kafka request (ApiVersions v0) gets a TLS
    // alert back
    // (content type 21, version 3.3) and the connection is closed, no Kafka response.
    try (Socket raw = new Socket("localhost", broker.port())) {
      raw.setSoTimeout((int) SecuredClients.TIMEOUT.toMillis());
      raw.getOutputStream().write(new byte[] {0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 1, 0, 0});
      byte[] answer = raw.getInputStream().readNBytes(1024); // returns at the end of the stream
      assertThat(answer).hasSizeLessThan(16).startsWith(0x15, 0x03, 0x03);
    }
    awaitBrokerLog("Failed authentication with /127.0.0.1", "(SSL handshake failed)");
  }

  @Test
  @Order(3)
  void aTlsClientWithoutSaslIsRefused() {
    Properties tlsOnly = with(broker.clientProperties("ledger"), "security.protocol", "SSL");
    tlsOnly.remove("sasl.jaas.config");
    tlsOnly.remove("sasl.mechanism");

    assertThat(refusals.ofAdmin(tlsOnly)).isInstanceOf(TimeoutException.class);
    awaitBrokerLog("Unexpected Kafka request of type METADATA during SASL handshake");
  }

  @Test
  @Order(3)
  void aWrongPasswordIsRefusedWithAnAuthenticationError() {
    Properties ledger = broker.clientProperties("ledger");
    String jaas = ledger.getProperty("sasl.jaas.config");
    Properties wrong =
        with(
            ledger,
            "sasl.jaas.config",
            jaas.replaceFirst("password=\"[^\"]*\"", "password=\"wrong\""));

    Throwable refusal = refusals.ofAdmin(wrong);

    assertThat(refusal)
        .isInstanceOf(SaslAuthenticationException.class)
        .hasMessageContaining("invalid credentials with SASL mechanism SCRAM-SHA-512");
  }

  @Test
  @Order(3)
  void anUnknownUserIsRefusedWithAnAuthenticationError() {
    Properties ledger = broker.clientProperties("ledger");
    Properties unknown =
        with(
            ledger,
            "sasl.jaas.config",
            ledger
                .getProperty("sasl.jaas.config")
                .replace("username=\"ledger\"", "username=\"mallory\""));

    assertThat(refusals.ofAdmin(unknown)).isInstanceOf(SaslAuthenticationException.class);
  }

  @Test
  @Order(3)
  void theControllerListenerRefusesClientsWithoutTheBrokersCertificate() throws Exception {
    String controller =
        SecuredFiles.load(broker.workDir().resolve("server.properties"))
            .getProperty("controller.quorum.bootstrap.servers");
    Properties admin = broker.clientProperties(BrokerSecurity.ADMIN);
    admin.remove("bootstrap.servers");
    admin.setProperty("bootstrap.controllers", controller);

    // The admin's SCRAM login is worth nothing there: the controller listener is TLS with a
    // required client
    // certificate, and only the broker has one.
    assertThat(refusals.ofAdmin(admin)).isInstanceOf(SslAuthenticationException.class);
    assertThat(refusals.ofAdmin(with(admin, "security.protocol", "SSL")))
        .isInstanceOf(SslAuthenticationException.class);
  }

  @Test
  @Order(4)
  void aPrincipalWithoutAclsIsNotAuthorized() throws Exception {
    Properties auditor = broker.clientProperties("auditor");

    try (KafkaConsumer<String, String> consumer = SecuredClients.consumer(auditor, null)) {
      consumer.assign(List.of(new TopicPartition(TOPIC, 0)));
      Throwable refusal = refusals.of(() -> consumer.poll(SecuredClients.REFUSAL_TIMEOUT));
      assertThat(refusal).isInstanceOf(TopicAuthorizationException.class);
      assertThat(((TopicAuthorizationException) refusal).unauthorizedTopics())
          .containsExactly(TOPIC);
    }
    try (KafkaConsumer<String, String> consumer =
        SecuredClients.consumer(auditor, "auditor-group")) {
      consumer.subscribe(List.of(TOPIC));
      assertThat(refusals.of(() -> consumer.poll(SecuredClients.REFUSAL_TIMEOUT)))
          .isInstanceOf(TopicAuthorizationException.class);
      // The group is checked on its own when no topic is involved: reading the group's committed
      // offsets.
      Throwable refusal =
          refusals.of(
              () ->
                  consumer.committed(
                      Set.of(new TopicPartition(TOPIC, 0)), SecuredClients.REFUSAL_TIMEOUT));
      assertThat(refusal).isInstanceOf(GroupAuthorizationException.class);
      assertThat(((GroupAuthorizationException) refusal).groupId()).isEqualTo("auditor-group");
    }
    Throwable produce = refusals.of(() -> writeTransaction(auditor, "auditor-tx", TOPIC, "forged"));
    assertThat(produce)
        .isInstanceOfAny(
            TopicAuthorizationException.class,
            org.apache.kafka.common.errors.TransactionalIdAuthorizationException.class);
    // Only the admin creates topics.
    Throwable create =
        refusals.of(
            () -> {
              try (Admin ledgerAdmin = impatientAdmin(broker.clientProperties("ledger"))) {
                createTopic(ledgerAdmin, "not-allowed", 1);
              }
            });
    assertThat(create).isInstanceOf(TopicAuthorizationException.class);
  }

  @Test
  @Order(5)
  void credentialsAndAclsSurviveAKillAndRestart() throws Exception {
    broker.kill();
    broker.restart();

    Properties ledger = broker.clientProperties("ledger");
    writeTransaction(ledger, "ledger-tx", TOPIC, "p4");
    assertThat(readAsGroup(ledger, TOPIC, "ledger-group", 1)).containsExactly("p4");
  }

  @Test
  @Order(10)
  void noPasswordAppearsInTheLogsTheCommandLineOrAnException() throws Exception {
    assertThat(refusals.count()).isGreaterThanOrEqualTo(8);
    SecuredFiles.assertNoSecretLeaks(broker, logs, refusals);
    assertThat(logs.text()).contains("sasl.jaas.config = [hidden]");
  }

  private void awaitBrokerLog(String... parts) {
    Path log = broker.workDir().resolve("broker.log");
    await("broker.log shows " + List.of(parts))
        .atMost(SecuredClients.TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                Files.readAllLines(log).stream()
                    .anyMatch(line -> Stream.of(parts).allMatch(line::contains)));
  }
}
