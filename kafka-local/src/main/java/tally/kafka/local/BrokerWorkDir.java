package tally.kafka.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import tally.support.FileTrees;

/** The files of one embedded broker: its configuration, data and logs, all under one directory. */
final class BrokerWorkDir {

  private static final int TAIL_LINES = 20;

  private final Path root;

  BrokerWorkDir(Path root) {
    this.root = root.toAbsolutePath();
  }

  Path root() {
    return root;
  }

  Path dataDir() {
    return root.resolve("data");
  }

  Path serverProperties() {
    return root.resolve("server.properties");
  }

  Path log4jConfig() {
    return root.resolve("log4j2.xml");
  }

  /** The broker's own log (log4j2, WARN plus start/stop lines). */
  Path brokerLog() {
    return root.resolve("broker.log");
  }

  /**
   * Secured mode: the configuration the broker and its internal clients log at start-up (passwords
   * hidden).
   */
  Path brokerConfigLog() {
    return root.resolve("broker-config.log");
  }

  /** The broker JVM's stdout and stderr: JVM crashes and anything printed before logging starts. */
  Path brokerOut() {
    return root.resolve("broker.out");
  }

  /** Secured mode: CA certificate, truststore and keystores (see {@link TlsMaterial}). */
  Path tlsDir() {
    return root.resolve("tls");
  }

  /** Secured mode: one ready Kafka client properties file per principal. */
  Path clientsDir() {
    return root.resolve("clients");
  }

  boolean isFormatted() {
    return Files.exists(dataDir().resolve("meta.properties"));
  }

  /**
   * Readable by its owner only (0600): in secured mode it holds the keystore passwords and the
   * broker's own login.
   */
  void writeServerProperties(Map<String, String> properties) {
    StringBuilder text = new StringBuilder("# Written by tally.kafka.local.EmbeddedKafkaBroker\n");
    properties.forEach(
        (key, value) ->
            text.append(key).append('=').append(escapePropertyValue(value)).append('\n'));
    PrivateFiles.writeString(serverProperties(), text.toString());
  }

  /**
   * Backslashes are escapes in .properties files (Windows paths); our values hold no line breaks.
   */
  static String escapePropertyValue(String value) {
    return value.replace("\\", "\\\\");
  }

  void writeLog4jConfig() {
    writeLog4jConfig(false);
  }

  /**
   * The broker's log4j2 configuration. A secured broker also logs, at INFO, failed authentications
   * ({@code Selector}) and denied operations ({@code kafka.authorizer.logger}), what one needs to
   * see why a client is refused, and its configuration (Kafka prints password-typed values as
   * {@code [hidden]}) into {@link #brokerConfigLog()}: five dumps of ~340 lines per start would
   * bury the rest of {@code broker.log}.
   */
  void writeLog4jConfig(boolean secured) {
    String securityAppenders =
        !secured
            ? ""
            : """
                <File name="config" fileName="%s" append="true">
                  <PatternLayout pattern="%%d{ISO8601} %%-5p [%%t] %%c: %%m%%n"/>
                </File>
            """
                .formatted(escapeXml(brokerConfigLog().toString()));
    String securityLoggers =
        !secured
            ? ""
            : """
                <Logger name="org.apache.kafka.common.network.Selector" level="INFO"/>
                <Logger name="kafka.authorizer.logger" level="INFO"/>
                <Logger name="org.apache.kafka.common.config.AbstractConfig" level="INFO" additivity="false">
                  <AppenderRef ref="config"/>
                </Logger>
            """;
    String xml =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- Written by tally.kafka.local.EmbeddedKafkaBroker: quiet, but shows start and stop. -->
        <Configuration status="WARN">
          <Appenders>
            <File name="file" fileName="%s" append="true">
              <PatternLayout pattern="%%d{ISO8601} %%-5p [%%t] %%c: %%m%%n"/>
            </File>
        %s  </Appenders>
          <Loggers>
            <Logger name="kafka.server.KafkaRaftServer" level="INFO"/>
            <Logger name="kafka.server.KafkaServer" level="INFO"/>
            <Logger name="tally.kafka.local" level="INFO"/>
        %s    <Root level="WARN"><AppenderRef ref="file"/></Root>
          </Loggers>
        </Configuration>
        """
            .formatted(escapeXml(brokerLog().toString()), securityAppenders, securityLoggers);
    write(log4jConfig(), xml);
  }

  String describeLogs() {
    return "last lines of "
        + brokerOut()
        + ":\n"
        + LogTail.lastLines(brokerOut(), TAIL_LINES)
        + "\nlast lines of "
        + brokerLog()
        + ":\n"
        + LogTail.lastLines(brokerLog(), TAIL_LINES);
  }

  void deleteRecursively() {
    FileTrees.deleteRecursively(root);
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String escapeXml(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
