package tally.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** File, keystore and TLS helpers for the secured-broker tests. */
final class SecuredFiles {

  private static final Pattern JAAS_PASSWORD = Pattern.compile("password=\"([^\"]+)\"");

  private SecuredFiles() {}

  static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  static Properties load(Path file) throws IOException {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    }
    return properties;
  }

  static KeyStore keystore(Path file, String password) throws Exception {
    KeyStore keystore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      keystore.load(in, password.toCharArray());
    }
    return keystore;
  }

  /**
   * The certificate the broker presents on {@code host:port}, from a TLS handshake that trusts only
   * the truststore and checks the host name as HTTPS does (as Kafka clients do by default).
   */
  static X509Certificate serverCertificate(String host, int port, KeyStore truststore)
      throws Exception {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(truststore);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host, port)) {
      socket.setSoTimeout(10_000);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  static X509Certificate serverCertificate(int port, KeyStore truststore) throws Exception {
    return serverCertificate("localhost", port, truststore);
  }

  /**
   * Every secret the broker's files hold: the values of {@code *password} settings and the
   * passwords in JAAS settings, of {@code server.properties} and every client properties file.
   */
  static List<String> secrets(EmbeddedKafkaBroker broker) throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(broker.workDir().resolve("server.properties"));
    broker.principals().forEach(principal -> files.add(broker.clientPropertiesFile(principal)));
    Set<String> secrets = new LinkedHashSet<>();
    for (Path file : files) {
      load(file)
          .forEach(
              (key, value) -> {
                if (key.toString().endsWith("password")) {
                  secrets.add(value.toString());
                }
                Matcher jaas = JAAS_PASSWORD.matcher(value.toString());
                while (jaas.find()) {
                  secrets.add(jaas.group(1));
                }
              });
    }
    return List.copyOf(secrets);
  }

  /**
   * The process's command line as {@code ps} shows it (/proc on Linux, where the JDK's view may be
   * cut short).
   */
  static String commandLine(long pid) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid), "cmdline");
    if (Files.isReadable(proc)) {
      return new String(Files.readAllBytes(proc), java.nio.charset.StandardCharsets.UTF_8)
          .replace('\0', ' ');
    }
    return ProcessHandle.of(pid).flatMap(process -> process.info().commandLine()).orElseThrow();
  }

  /**
   * No secret of the broker in its logs, its command line, this JVM's log, the refusals' exceptions
   * or {@code describe()}; and the checks see something (the broker logged its configuration and
   * its refusals).
   */
  static void assertNoSecretLeaks(EmbeddedKafkaBroker broker, LogCapture logs, Refusals refusals)
      throws IOException {
    List<String> secrets = secrets(broker);
    // Keystore and truststore passwords plus one per principal (SCRAM or keystore).
    assertThat(secrets).hasSizeGreaterThanOrEqualTo(broker.principals().size() + 2);
    String brokerLog = Files.readString(broker.workDir().resolve("broker.log"));
    String configLog = Files.readString(broker.workDir().resolve("broker-config.log"));
    String brokerOut = Files.readString(broker.workDir().resolve("broker.out"));
    String commandLine = commandLine(broker.pid());
    String thisJvm = logs.text();
    String failures = refusals.text();
    assertThat(brokerLog).contains("Failed authentication", " is Denied operation = ");
    assertThat(configLog)
        .contains("ssl.keystore.password = [hidden]", "ssl.truststore.password = [hidden]");
    assertThat(thisJvm)
        .contains("ssl.truststore.password = [hidden]", "Started embedded Kafka broker");
    assertThat(commandLine).contains(BrokerMain.class.getName());
    for (String secret : secrets) {
      assertThat(brokerLog).as("broker.log").doesNotContain(secret);
      assertThat(configLog).as("broker-config.log").doesNotContain(secret);
      assertThat(brokerOut).as("broker.out").doesNotContain(secret);
      assertThat(commandLine).as("the broker's command line").doesNotContain(secret);
      assertThat(thisJvm).as("this JVM's log").doesNotContain(secret);
      assertThat(failures).as("the clients' exceptions").doesNotContain(secret);
      assertThat(broker.describe()).doesNotContain(secret);
    }
  }

  static String stackTrace(Throwable failure) {
    StringWriter text = new StringWriter();
    failure.printStackTrace(new PrintWriter(text));
    return text.toString();
  }
}
