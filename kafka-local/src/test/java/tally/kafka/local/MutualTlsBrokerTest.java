package tally.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static tally.kafka.local.SecuredClients.createTopic;
import static tally.kafka.local.SecuredClients.grant;
import static tally.kafka.local.SecuredClients.producerAndConsumerAcls;
import static tally.kafka.local.SecuredClients.readAsGroup;
import static tally.kafka.local.SecuredClients.with;
import static tally.kafka.local.SecuredClients.writeTransaction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One mutual-TLS broker for the whole class; the log check runs last. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MutualTlsBrokerTest {

  private static final String TOPIC = "payments";

  private LogCapture logs;
  private EmbeddedKafkaBroker broker;
  private Admin admin;
  private final Refusals refusals = new Refusals();

  @BeforeAll
  void startBroker() throws Exception {
    logs = LogCapture.start();
    // Through the provider-neutral entry point: a secured cluster is always the embedded broker.
    KafkaCluster cluster =
        KafkaClusters.start(
            KafkaClusterOptions.builder()
                .security(BrokerSecurity.MUTUAL_TLS)
                .principals(List.of("ledger", "auditor"))
                .build());
    assertThat(cluster).isInstanceOf(EmbeddedKafkaBroker.class);
    broker = (EmbeddedKafkaBroker) cluster;
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
  void eachPrincipalGetsAKeystoreWithItsOwnCertificateSignedByTheBrokersCa() throws Exception {
    assertThat(broker.principals()).containsExactly("admin", "ledger", "auditor");
    Properties truststoreSettings = broker.clientProperties("admin");
    KeyStore truststore =
        SecuredFiles.keystore(
            Path.of(truststoreSettings.getProperty("ssl.truststore.location")),
            truststoreSettings.getProperty("ssl.truststore.password"));
    X509Certificate ca =
        (X509Certificate) truststore.getCertificate(truststore.aliases().nextElement());

    for (String principal : broker.principals()) {
      Properties client = SecuredFiles.load(broker.clientPropertiesFile(principal));
      assertThat(client)
          .isEqualTo(broker.clientProperties(principal))
          .containsEntry("security.protocol", "SSL")
          .containsEntry("ssl.keystore.type", "PKCS12")
          .doesNotContainKeys("sasl.jaas.config", "sasl.mechanism");
      assertThat(SecuredFiles.mode(broker.clientPropertiesFile(principal))).isEqualTo("rw-------");
      Path keystoreFile = Path.of(client.getProperty("ssl.keystore.location"));
      assertThat(SecuredFiles.mode(keystoreFile)).isEqualTo("rw-------");
      KeyStore keystore =
          SecuredFiles.keystore(keystoreFile, client.getProperty("ssl.keystore.password"));
      String alias = Collections.list(keystore.aliases()).get(0);
      assertThat(keystore.isKeyEntry(alias)).isTrue();
      X509Certificate cert = (X509Certificate) keystore.getCertificate(alias);
      cert.verify(ca.getPublicKey());
      assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=" + principal);
      assertThat(cert.getExtendedKeyUsage())
          .containsExactly("1.3.6.1.5.5.7.3.2"); // clientAuth only
    }
    assertThat(SecuredFiles.load(broker.workDir().resolve("server.properties")))
        .containsEntry("ssl.client.auth", "required")
        .containsEntry("ssl.principal.mapping.rules", "RULE:^CN=([A-Za-z0-9._-]+)$/$1/,DEFAULT");
    // The CA's private key is nowhere: every key in the work dir belongs to a leaf certificate.
    try (var files = Files.walk(broker.workDir().resolve("tls"))) {
      for (Path p12 : files.filter(f -> f.toString().endsWith(".p12")).toList()) {
        KeyStore store =
            p12.getFileName().toString().equals("truststore.p12") ? truststore : keystoreOf(p12);
        for (String alias : Collections.list(store.aliases())) {
          if (store.isKeyEntry(alias)) {
            Certificate leaf = store.getCertificateChain(alias)[0];
            assertThat(((X509Certificate) leaf).getBasicConstraints())
                .as(p12 + " holds a CA key")
                .isEqualTo(-1);
          }
        }
      }
    }
  }

  @Test
  @Order(2)
  void aClientWithItsCertificateProducesAndConsumesUnderItsAcls() throws Exception {
    grant(admin, producerAndConsumerAcls("ledger", TOPIC, "ledger-tx", "ledger-group"));

    Properties ledger = broker.clientProperties("ledger");
    writeTransaction(ledger, "ledger-tx", TOPIC, "m1", "m2");

    assertThat(readAsGroup(ledger, TOPIC, "ledger-group", 2)).containsExactlyInAnyOrder("m1", "m2");
  }

  @Test
  @Order(3)
  void aClientWithoutACertificateIsRefused() {
    Properties noCertificate = broker.clientProperties("ledger");
    noCertificate
        .keySet()
        .removeIf(
            key -> key.toString().startsWith("ssl.keystore.") || key.equals("ssl.key.password"));

    assertThat(refusals.ofAdmin(noCertificate)).isInstanceOf(SslAuthenticationException.class);
  }

  @Test
  @Order(3)
  void aCertificateFromAnotherCaIsRefused(@TempDir Path elsewhere) {
    AtomicInteger passwords = new AtomicInteger();
    TlsMaterial.Store forged =
        TlsMaterial.generate(
                elsewhere,
                "broker",
                List.of("ledger"),
                List.of(),
                () -> "forged-" + passwords.incrementAndGet(),
                new SecureRandom())
            .clientKeystores()
            .get("ledger");
    Properties impostor =
        with(
            broker.clientProperties("ledger"),
            "ssl.keystore.location",
            forged.location().toString(),
            "ssl.keystore.password",
            forged.password(),
            "ssl.key.password",
            forged.password());

    assertThat(refusals.ofAdmin(impostor)).isInstanceOf(SslAuthenticationException.class);
  }

  @Test
  @Order(3)
  void aPlaintextClientIsRefused() {
    Properties plaintext = new Properties();
    plaintext.setProperty("bootstrap.servers", broker.bootstrapServers());

    assertThat(refusals.ofAdmin(plaintext))
        .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
  }

  @Test
  @Order(4)
  void thePrincipalIsTheCertificatesCommonName() throws Exception {
    Properties auditor = broker.clientProperties("auditor");
    try (KafkaConsumer<String, String> consumer = SecuredClients.consumer(auditor, null)) {
      consumer.assign(List.of(new TopicPartition(TOPIC, 0)));
      assertThat(refusals.of(() -> consumer.poll(SecuredClients.REFUSAL_TIMEOUT)))
          .isInstanceOf(TopicAuthorizationException.class);
    }
    // Authenticated by its certificate and known by its CN: the authorizer denied User:auditor, not
    // a DN.
    Path log = broker.workDir().resolve("broker.log");
    await("broker.log shows the denial")
        .atMost(SecuredClients.TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                Files.readString(log)
                    .contains(
                        "Principal = User:auditor is Denied operation = DESCRIBE"
                            + " from host = 127.0.0.1 on resource = Topic:LITERAL:"
                            + TOPIC));
  }

  @Test
  @Order(10)
  void noPasswordAppearsInTheLogsTheCommandLineOrAnException() throws Exception {
    assertThat(refusals.count()).isGreaterThanOrEqualTo(4);
    SecuredFiles.assertNoSecretLeaks(broker, logs, refusals);
    assertThat(logs.text()).contains("ssl.keystore.password = [hidden]");
  }

  /** A keystore of the work dir, opened with the password from the file that names it. */
  private KeyStore keystoreOf(Path p12) throws Exception {
    String name = p12.getFileName().toString();
    Properties settings =
        p12.getParent().getFileName().toString().equals("clients")
            ? SecuredFiles.load(
                broker.clientPropertiesFile(name.substring(0, name.length() - ".p12".length())))
            : SecuredFiles.load(broker.workDir().resolve("server.properties"));
    assertThat(Path.of(settings.getProperty("ssl.keystore.location"))).isEqualTo(p12);
    return SecuredFiles.keystore(p12, settings.getProperty("ssl.keystore.password"));
  }
}
