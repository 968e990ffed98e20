package tally.connectors.kafka;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * Turns a Kafka client failure at start-up into a one-line cause an operator can act on, instead of
 * a stack trace of wrappers ({@code ExecutionException}, {@code KafkaException}, ...).
 */
public final class KafkaFailures {
  private KafkaFailures() {}

  /** What went wrong, broadly. */
  public enum Category {
    /** The brokers rejected the client's credentials (SASL). */
    AUTHENTICATION,
    /** The TLS handshake failed: untrusted or mismatched certificates, bad key store. */
    TLS,
    /** Authenticated, but the principal lacks an ACL for a topic, group, transactional id... */
    AUTHORIZATION,
    /** No broker answered: wrong address, broker down, or a listener speaking another protocol. */
    UNREACHABLE,
    /** Anything else. */
    OTHER
  }

  /** The category of {@code failure}, judged by every exception in its cause chain. */
  public static Category categorize(Throwable failure) {
    List<Throwable> chain = chain(failure);
    // TLS first: SslAuthenticationException is also an AuthenticationException.
    if (find(chain, SslAuthenticationException.class).isPresent()
        || find(chain, SSLException.class).isPresent()
        || find(chain, GeneralSecurityException.class).isPresent()) {
      return Category.TLS;
    }
    if (find(chain, AuthenticationException.class).isPresent()) {
      return Category.AUTHENTICATION;
    }
    if (find(chain, AuthorizationException.class).isPresent()) {
      return Category.AUTHORIZATION;
    }
    Throwable root = chain.get(chain.size() - 1);
    if (find(chain, UnknownHostException.class).isPresent()
        || find(chain, ConnectException.class).isPresent()
        || find(chain, NoRouteToHostException.class).isPresent()
        || isUnresolvableBootstrap(chain)
        // A timeout with nothing behind it: the client never got an answer.
        || root instanceof org.apache.kafka.common.errors.TimeoutException
        || root instanceof java.util.concurrent.TimeoutException) {
      return Category.UNREACHABLE;
    }
    return Category.OTHER;
  }

  /**
   * A one-line explanation of {@code failure} naming the brokers, the cause and what to check, e.g.
   * "Kafka at broker1:9093 refused authentication (SASL SCRAM-SHA-512): Authentication failed ...;
   * check the user name and password in sasl.jaas.config".
   *
   * @param bootstrapServers the brokers the client was given
   * @param properties the user's client properties (for the security protocol and SASL mechanism;
   *     no values other than those are shown)
   */
  public static String explain(
      Throwable failure, String bootstrapServers, KafkaClientProperties properties) {
    List<Throwable> chain = chain(failure);
    String kafka = "Kafka at " + bootstrapServers;
    Map<String, String> props = properties.asMap();
    String protocol = props.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
    return switch (categorize(failure)) {
      case AUTHENTICATION -> {
        String how =
            protocol.toUpperCase(Locale.ROOT).startsWith("SASL")
                ? "SASL " + props.getOrDefault(SaslConfigs.SASL_MECHANISM, "GSSAPI")
                : "security.protocol=" + protocol;
        yield kafka
            + " refused authentication ("
            + how
            + "): "
            + message(find(chain, AuthenticationException.class).orElseThrow())
            + "; check the user name and password in sasl.jaas.config, and that the brokers"
            + " enable sasl.mechanism for this listener";
      }
      case TLS ->
          "TLS handshake with "
              + kafka
              + " failed: "
              + message(chain.get(chain.size() - 1)) // the root says which certificate check
              + "; check that ssl.truststore.* trusts the brokers' certificates, that their names"
              + " match the bootstrap servers, and the key store settings";
      case AUTHORIZATION -> {
        AuthorizationException denied = find(chain, AuthorizationException.class).orElseThrow();
        yield kafka
            + " denied "
            + resource(denied)
            + " ("
            + denied.getClass().getSimpleName()
            + "): "
            + message(denied)
            + "; grant the client's principal the ACLs it needs, or use another principal";
      }
      case UNREACHABLE ->
          "cannot reach "
              + kafka
              + ": "
              + message(chain.get(chain.size() - 1))
              + "; start it, point --bootstrap-servers at a running broker, or check that"
              + " security.protocol="
              + protocol
              + " matches the brokers' listener";
      case OTHER -> {
        Throwable root = chain.get(chain.size() - 1);
        yield kafka + " failed: " + root.getClass().getSimpleName() + ": " + message(root);
      }
    };
  }

  /** "access to topics [a, b]", "access to group 'g'", ... */
  private static String resource(AuthorizationException denied) {
    if (denied instanceof TopicAuthorizationException topics
        && !topics.unauthorizedTopics().isEmpty()) {
      return "access to topics " + new TreeSet<>(topics.unauthorizedTopics());
    }
    if (denied instanceof GroupAuthorizationException group && group.groupId() != null) {
      return "access to group '" + group.groupId() + "'";
    }
    if (denied instanceof TransactionalIdAuthorizationException) {
      return "access to its transactional ids";
    }
    if (denied instanceof ClusterAuthorizationException) {
      return "a cluster operation";
    }
    return "access";
  }

  // Since Kafka 3.x unresolvable bootstrap hosts surface as a ConfigException at construction.
  private static boolean isUnresolvableBootstrap(List<Throwable> chain) {
    return find(chain, ConfigException.class)
        .map(e -> String.valueOf(e.getMessage()).contains("No resolvable bootstrap urls"))
        .orElse(false);
  }

  /**
   * The outermost of {@code failure} and its causes that is one of {@code types}, or empty: what to
   * look for behind the wrappers ({@code ExecutionException}, {@code IOException}, ...).
   */
  @SafeVarargs
  public static Optional<Throwable> firstCause(
      Throwable failure, Class<? extends Throwable>... types) {
    return chain(failure).stream()
        .filter(t -> Arrays.stream(types).anyMatch(type -> type.isInstance(t)))
        .findFirst();
  }

  /** {@code failure} and its causes, outermost first, each once. */
  private static List<Throwable> chain(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static <T extends Throwable> Optional<T> find(List<Throwable> chain, Class<T> type) {
    return chain.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /** The message on one line, or the exception's name if it has none. */
  private static String message(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank()
        ? t.getClass().getSimpleName()
        : message.strip().replaceAll("\\s+", " ");
  }
}
