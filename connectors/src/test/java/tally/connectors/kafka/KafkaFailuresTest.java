package tally.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import tally.connectors.kafka.KafkaFailures.Category;

class KafkaFailuresTest {
  private static final String BROKERS = "broker1:9093";
  private static final KafkaClientProperties SCRAM =
      KafkaClientProperties.of(
          Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"));

  /** As Admin futures report failures. */
  private static ExecutionException wrapped(Throwable cause) {
    return new ExecutionException(cause);
  }

  @Test
  void authentication() {
    var failure =
        wrapped(
            new SaslAuthenticationException(
                "Authentication failed during authentication due to invalid credentials with SASL"
                    + " mechanism SCRAM-SHA-512"));

    assertThat(KafkaFailures.categorize(failure)).isEqualTo(Category.AUTHENTICATION);
    assertThat(KafkaFailures.explain(failure, BROKERS, SCRAM))
        .startsWith(
            "Kafka at broker1:9093 refused authentication (SASL SCRAM-SHA-512): Authentication"
                + " failed during authentication due to invalid credentials with SASL mechanism"
                + " SCRAM-SHA-512; check the user name and password in sasl.jaas.config");
    assertThat(KafkaFailures.categorize(new KafkaException(new AuthenticationException("no"))))
        .isEqualTo(Category.AUTHENTICATION);
  }

  @Test
  void tls() {
    var handshake = new SSLHandshakeException("PKIX path building failed");
    handshake.initCause(
        new CertificateException("unable to find valid certification path to requested target"));
    var failure = wrapped(new SslAuthenticationException("SSL handshake failed", handshake));

    assertThat(KafkaFailures.categorize(failure)).isEqualTo(Category.TLS);
    assertThat(KafkaFailures.explain(failure, BROKERS, SCRAM))
        .startsWith(
            "TLS handshake with Kafka at broker1:9093 failed: unable to find valid certification"
                + " path to requested target; check that ssl.truststore.*");
    // A handshake failure without Kafka's wrapper, and a bare certificate error, are TLS too.
    assertThat(KafkaFailures.categorize(new KafkaException(new SSLHandshakeException("x"))))
        .isEqualTo(Category.TLS);
    assertThat(
            KafkaFailures.categorize(
                new KafkaException("Failed to load SSL keystore", new CertificateException("bad"))))
        .isEqualTo(Category.TLS);
  }

  @Test
  void authorizationNamesTheResource() {
    var topics = wrapped(new TopicAuthorizationException(Set.of("payments", "balances")));
    assertThat(KafkaFailures.categorize(topics)).isEqualTo(Category.AUTHORIZATION);
    assertThat(KafkaFailures.explain(topics, BROKERS, SCRAM))
        .startsWith(
            "Kafka at broker1:9093 denied access to topics [balances, payments]"
                + " (TopicAuthorizationException): Not authorized to access topics: [")
        .endsWith("; grant the client's principal the ACLs it needs, or use another principal");

    assertThat(
            KafkaFailures.explain(
                wrapped(GroupAuthorizationException.forGroupId("ledger")), BROKERS, SCRAM))
        .startsWith("Kafka at broker1:9093 denied access to group 'ledger'");
    assertThat(
            KafkaFailures.explain(
                new KafkaException(
                    new TransactionalIdAuthorizationException(
                        "Transactional Id authorization failed.")),
                BROKERS,
                SCRAM))
        .startsWith("Kafka at broker1:9093 denied access to its transactional ids");
    assertThat(
            KafkaFailures.explain(
                wrapped(new ClusterAuthorizationException("Cluster authorization failed.")),
                BROKERS,
                SCRAM))
        .startsWith("Kafka at broker1:9093 denied a cluster operation");
  }

  @Test
  void unreachable() {
    var timeout =
        wrapped(new TimeoutException("Timed out waiting for a node assignment. Call: listTopics"));
    assertThat(KafkaFailures.categorize(timeout)).isEqualTo(Category.UNREACHABLE);
    assertThat(KafkaFailures.explain(timeout, BROKERS, KafkaClientProperties.none()))
        .isEqualTo(
            "cannot reach Kafka at broker1:9093: Timed out waiting for a node assignment. Call:"
                + " listTopics; start it, point --bootstrap-servers at a running broker, or check"
                + " that security.protocol=PLAINTEXT matches the brokers' listener");

    for (Throwable failure :
        List.of(
            new KafkaException(new UnknownHostException("broker1")),
            new KafkaException(new ConnectException("Connection refused")),
            new ConfigException("No resolvable bootstrap urls given in bootstrap.servers"),
            new java.util.concurrent.TimeoutException())) {
      assertThat(KafkaFailures.categorize(failure))
          .as(failure.toString())
          .isEqualTo(Category.UNREACHABLE);
    }
  }

  @Test
  void aTimeoutWithACauseIsNotJustUnreachable() {
    var failure = new TimeoutException("timed out", new IllegalStateException("broken"));
    assertThat(KafkaFailures.categorize(failure)).isEqualTo(Category.OTHER);
  }

  @Test
  void other() {
    var failure = wrapped(new UnknownTopicOrPartitionException("This server does not host\nit"));
    assertThat(KafkaFailures.categorize(failure)).isEqualTo(Category.OTHER);
    assertThat(KafkaFailures.explain(failure, BROKERS, SCRAM))
        .isEqualTo(
            "Kafka at broker1:9093 failed: UnknownTopicOrPartitionException: This server does not"
                + " host it");
  }

  @Test
  void survivesCauseCycles() {
    var a = new KafkaException("a");
    var b = new KafkaException("b", a);
    a.initCause(b);
    assertThat(KafkaFailures.categorize(a)).isEqualTo(Category.OTHER);
  }
}
