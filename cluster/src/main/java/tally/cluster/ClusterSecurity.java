package tally.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tally.connectors.kafka.KafkaClientProperties;
import tally.connectors.kafka.KafkaConnection;
import tally.kafka.local.BrokerSecurity;
import tally.kafka.local.BrokerSecuritySetup;
import tally.kafka.local.PrivateFiles;
import tally.kafka.local.TlsMaterial;

/**
 * The secured no-Docker cluster ({@code cluster up --secure}): Kafka with SASL_SSL/SCRAM-SHA-512
 * and the StandardAuthorizer (deny by default) on all three brokers, Flink with TLS on its internal
 * connections (RPC, blobs, data exchange: mutual) and on REST, and a client properties file per
 * principal. Generated once, with the brokers' storage (the SCRAM credentials are formatted into
 * it), and reused by every later {@code up} of the same work dir.
 *
 * <p>Under {@link ClusterLayout#securityDir()}, all readable by the owner only: {@code tls/} (CA
 * certificate, truststore, the brokers' keystore, {@code flink.p12}), {@code
 * kafka-security.properties} (what every broker's {@code server.properties} adds), {@code
 * flink-tls.properties} (the Flink keystore's settings) and {@code clients/<principal>.properties}.
 * Flink gets its own certificate ({@code CN=flink}): the brokers' one is a Kafka super user, which
 * the TaskManagers (running user code) must not hold.
 */
public final class ClusterSecurity {

  /** Kafka's security mode on the secured cluster. */
  public static final BrokerSecurity MODE = BrokerSecurity.SASL_SSL_SCRAM;

  /** The principal of Tally's tools that create topics and ACLs (a Kafka super user). */
  public static final String ADMIN = BrokerSecurity.ADMIN;

  static final String FLINK_SERVICE = "flink";

  /** TLS 1.2 suites for EC keys with forward secrecy (AES-GCM), in order of preference. */
  static final String ECDSA_CIPHER_SUITES =
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";

  private static final String KAFKA_FILE = "kafka-security.properties";
  private static final String FLINK_FILE = "flink-tls.properties";

  private final Path dir;

  /** Set only in the {@code up} that generated the material: needed to format the brokers. */
  private final List<String> scramFormatArguments;

  private ClusterSecurity(Path dir, List<String> scramFormatArguments) {
    this.dir = dir;
    this.scramFormatArguments = scramFormatArguments;
  }

  /** Whether the work dir holds a secured cluster's material. */
  public static boolean isSecured(ClusterLayout layout) {
    return Files.isRegularFile(layout.securityDir().resolve(KAFKA_FILE));
  }

  /** The material of the cluster in {@code layout} (which must be secured). */
  public static ClusterSecurity load(ClusterLayout layout) {
    if (!isSecured(layout)) {
      throw new IllegalStateException(
          "the cluster under " + layout.root() + " is not secured (no " + KAFKA_FILE + ")");
    }
    return new ClusterSecurity(layout.securityDir(), List.of());
  }

  /**
   * Generates everything for a cluster whose brokers are not formatted yet: passwords, CA and
   * certificates, the brokers' and Flink's TLS settings, and the client file of each of {@link
   * BrokerSecurity#DEFAULT_PRINCIPALS}.
   */
  public static ClusterSecurity generate(ClusterLayout layout, String bootstrapServers) {
    Path dir = PrivateFiles.directory(layout.securityDir());
    BrokerSecuritySetup setup =
        BrokerSecuritySetup.generate(
            MODE, BrokerSecurity.DEFAULT_PRINCIPALS, List.of(FLINK_SERVICE), dir.resolve("tls"));
    writeProperties(
        dir.resolve(KAFKA_FILE),
        "What every broker of this cluster adds to its server.properties (TLS, SCRAM, authorizer).",
        setup.sharedServerProperties());
    TlsMaterial.Store keystore = setup.tls().serviceKeystore(FLINK_SERVICE);
    TlsMaterial.Store truststore = setup.tls().truststore();
    Map<String, String> flink = new LinkedHashMap<>();
    flink.put("keystore", keystore.location().toString());
    flink.put("keystore-password", keystore.password());
    flink.put("truststore", truststore.location().toString());
    flink.put("truststore-password", truststore.password());
    writeProperties(
        dir.resolve(FLINK_FILE), "The Flink processes' TLS keystore and truststore.", flink);
    setup.writeClientFiles(clientsDir(layout), bootstrapServers);
    return new ClusterSecurity(dir, setup.scramFormatArguments());
  }

  static Path clientsDir(ClusterLayout layout) {
    return layout.securityDir().resolve("clients");
  }

  /** {@code clients/<principal>.properties}: ready for {@code --kafka-properties}. */
  public Path clientFile(String principal) {
    Path file = BrokerSecuritySetup.clientFile(dir.resolve("clients"), principal);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "no client file for principal '"
              + principal
              + "' in "
              + file.getParent()
              + "; the cluster's principals are "
              + BrokerSecurity.DEFAULT_PRINCIPALS);
    }
    return file;
  }

  /** The cluster's Kafka as {@code principal} reaches it. */
  public KafkaConnection connection(String bootstrapServers, String principal) {
    return new KafkaConnection(
        bootstrapServers, KafkaClientProperties.load(clientFile(principal), List.of()));
  }

  /** The CA certificate (PEM) every TLS endpoint of the cluster is signed by. */
  public Path caCertificate() {
    return dir.resolve("tls").resolve("ca.crt");
  }

  /** For the {@code --add-scram} arguments of the storage format; empty after a reload. */
  List<String> scramFormatArguments() {
    return scramFormatArguments;
  }

  /** One broker's security settings: its listeners, then what all brokers share. */
  Map<String, String> brokerSettings(int port, int controllerPort) {
    Map<String, String> settings =
        new LinkedHashMap<>(
            BrokerSecuritySetup.listenerProperties(MODE, "localhost", port, controllerPort));
    settings.putAll(readProperties(dir.resolve(KAFKA_FILE)));
    return settings;
  }

  /**
   * Flink's TLS and lock-down settings: internal connections mutually authenticated, REST over TLS
   * (server authentication; the REST endpoint is bound to loopback anyway), no jar upload through
   * the Web UI ({@code flink run} uploads through the REST API's own endpoint).
   */
  Map<String, String> flinkSettings() {
    Map<String, String> tls = readProperties(dir.resolve(FLINK_FILE));
    Map<String, String> settings = new LinkedHashMap<>();
    for (String scope : List.of("internal", "rest")) {
      String prefix = "security.ssl." + scope + ".";
      settings.put(prefix + "enabled", "true");
      settings.put(prefix + "keystore", tls.get("keystore"));
      settings.put(prefix + "keystore-password", tls.get("keystore-password"));
      settings.put(prefix + "key-password", tls.get("keystore-password"));
      settings.put(prefix + "keystore-type", "PKCS12");
      settings.put(prefix + "truststore", tls.get("truststore"));
      settings.put(prefix + "truststore-password", tls.get("truststore-password"));
      settings.put(prefix + "truststore-type", "PKCS12");
    }
    settings.put("security.ssl.rest.authentication-enabled", "false");
    // The certificates have EC keys; Flink's default cipher list is one RSA suite (no handshake).
    settings.put("security.ssl.algorithms", ECDSA_CIPHER_SUITES);
    settings.put("web.submit.enable", "false");
    return settings;
  }

  /** An SSL context that trusts the cluster's CA, for Tally's own REST client. */
  SSLContext restTrust() {
    try (InputStream pem = Files.newInputStream(caCertificate())) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry(
          "tally-cluster-ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the cluster's CA " + caCertificate(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust the cluster's CA " + caCertificate(), e);
    }
  }

  private static void writeProperties(Path file, String comment, Map<String, String> values) {
    StringBuilder text =
        new StringBuilder("# ")
            .append(comment)
            .append(
                "\n# Written by bin/tally cluster up --secure. Holds secrets: keep it private.\n");
    values.forEach(
        (key, value) ->
            text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
    PrivateFiles.writeString(file, text.toString());
  }

  private static Map<String, String> readProperties(Path file) {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Map<String, String> values = new TreeMap<>();
    properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
    return values;
  }

  @Override
  public String toString() {
    return "ClusterSecurity[" + dir + "]"; // never a secret
  }
}
