package tally.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secured mode's settings and files, without starting a broker. */
class BrokerSecuritySetupTest {

  @TempDir Path dir;

  @Test
  void principalsAreValidatedAndTheAdminComesFirst() {
    assertThat(BrokerSecuritySetup.validatePrincipals(BrokerSecurity.DEFAULT_PRINCIPALS))
        .containsExactly("admin", "ledger", "revenue", "generator", "auditor");
    assertThat(BrokerSecuritySetup.validatePrincipals(List.of("ledger", "admin")))
        .containsExactly("admin", "ledger");
    assertThat(BrokerSecuritySetup.validatePrincipals(List.of("svc.ledger-2")))
        .containsExactly("admin", "svc.ledger-2");
    assertThatThrownBy(() -> BrokerSecuritySetup.validatePrincipals(List.of("broker")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved for the broker");
    assertThatThrownBy(() -> BrokerSecuritySetup.validatePrincipals(List.of("ledger", "ledger")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("listed twice");
    for (String invalid : List.of("", "a b", "quote\"d", "-x", "comma,name", "x".repeat(65))) {
      assertThatThrownBy(() -> BrokerSecuritySetup.validatePrincipals(List.of(invalid)))
          .as(invalid)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not valid");
    }
    assertThatThrownBy(() -> BrokerSecuritySetup.validatePrincipals(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void scramModeHasOnlySecuredListenersAnAuthorizerAndARandomPasswordPerPrincipal()
      throws Exception {
    BrokerSecuritySetup setup =
        BrokerSecuritySetup.generate(
            BrokerSecurity.SASL_SSL_SCRAM, BrokerSecurity.DEFAULT_PRINCIPALS, dir.resolve("tls"));

    Map<String, String> server = setup.serverProperties("localhost", 9093, 9094);
    assertThat(server)
        .containsEntry("listeners", "SASL_SSL://localhost:9093,CONTROLLER://localhost:9094")
        .containsEntry("advertised.listeners", "SASL_SSL://localhost:9093")
        .containsEntry("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SSL")
        .containsEntry("inter.broker.listener.name", "SASL_SSL")
        .containsEntry("listener.name.controller.ssl.client.auth", "required")
        .containsEntry("sasl.enabled.mechanisms", "SCRAM-SHA-512")
        .containsEntry("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512")
        .containsEntry(
            "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
        .containsEntry("allow.everyone.if.no.acl.found", "false")
        .containsEntry("super.users", "User:admin;User:broker")
        .containsKey("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config");
    assertThat(String.join(",", server.values())).doesNotContain("PLAINTEXT");

    List<String> args = setup.scramFormatArguments();
    assertThat(args).hasSize(2 * 6); // the five principals and the broker
    assertThat(args.get(0)).isEqualTo("--add-scram");
    assertThat(args.get(1)).matches("SCRAM-SHA-512=\\[name=broker,password=[A-Za-z0-9]{32}]");
    assertThat(setup.secrets())
        .hasSize(6 + 2) // SCRAM, then truststore and broker keystore
        .allMatch(secret -> secret.matches("[A-Za-z0-9]{32}"));
    assertThat(setup.clientProperties("ledger", "localhost:9093"))
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThatThrownBy(() -> setup.clientProperties("mallory", "localhost:9093"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[admin, ledger");

    String secret = setup.secrets().iterator().next();
    assertThat(setup.redact("before " + secret + " after")).isEqualTo("before [hidden] after");
    assertThat(setup.toString()).doesNotContain(secret);
    assertThat(setup.tls().truststore().toString())
        .doesNotContain(setup.tls().truststore().password());
  }

  @Test
  void tlsFilesArePrivateAndTheTruststoreHoldsNoKey() throws Exception {
    BrokerSecuritySetup setup =
        BrokerSecuritySetup.generate(
            BrokerSecurity.MUTUAL_TLS, List.of("ledger"), dir.resolve("tls"));
    setup.writeClientFiles(dir.resolve("clients"), "localhost:9093");

    assertThat(SecuredFiles.mode(dir.resolve("tls"))).isEqualTo("rwx------");
    assertThat(SecuredFiles.mode(dir.resolve("clients"))).isEqualTo("rwx------");
    for (Path file :
        List.of(
            dir.resolve("tls/truststore.p12"),
            dir.resolve("tls/broker.p12"),
            dir.resolve("tls/clients/admin.p12"),
            dir.resolve("tls/clients/ledger.p12"),
            dir.resolve("clients/admin.properties"),
            dir.resolve("clients/ledger.properties"))) {
      assertThat(SecuredFiles.mode(file)).as(file.toString()).isEqualTo("rw-------");
    }
    KeyStore truststore =
        SecuredFiles.keystore(
            setup.tls().truststore().location(), setup.tls().truststore().password());
    for (String alias : Collections.list(truststore.aliases())) {
      assertThat(truststore.isCertificateEntry(alias)).as(alias).isTrue();
    }
    assertThat(truststore.size()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("clients/ledger.properties")))
        .contains(
            "security.protocol=SSL",
            "ssl.keystore.location=" + dir.resolve("tls/clients/ledger.p12"))
        .doesNotContain("sasl.");
    assertThat(setup.serverProperties("localhost", 1, 2))
        .containsEntry("ssl.client.auth", "required")
        .doesNotContainKey("sasl.enabled.mechanisms");
  }

  @Test
  void aFormattingErrorDoesNotQuoteTheScramPassword() {
    BrokerSecuritySetup setup =
        BrokerSecuritySetup.generate(
            BrokerSecurity.SASL_SSL_SCRAM, List.of("ledger"), dir.resolve("tls"));
    BrokerWorkDir workDir = new BrokerWorkDir(dir);
    workDir.writeServerProperties(
        EmbeddedKafkaBroker.serverProperties(
            FreePorts.pick(),
            FreePorts.pick(),
            workDir.dataDir(),
            setup,
            SingleBrokerDefaults.properties()));
    String secret = setup.secrets().iterator().next();
    // Kafka quotes a SCRAM argument without "=" in full.
    List<String> malformed = List.of("--add-scram", secret);

    assertThatThrownBy(
            () ->
                StorageFormatter.format(
                    workDir.serverProperties(),
                    Uuid.randomUuid().toString(),
                    malformed,
                    setup::redact))
        .isInstanceOf(KafkaStartException.class)
        .hasMessageContaining("[hidden]")
        .hasNoCause()
        .satisfies(e -> assertThat(SecuredFiles.stackTrace(e)).doesNotContain(secret));
  }
}
