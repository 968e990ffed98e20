package tally.jobs.common;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;
import tally.connectors.kafka.KafkaClientProperties;
import tally.connectors.kafka.KafkaConnection;

/**
 * How Tally reaches the user's Kafka, declared once for every verb and job: the bootstrap servers
 * and any client property (security, timeouts, ...), from a properties file like the {@code
 * --command-config} of Kafka's own tools and from repeatable overrides; the later wins. Secrets
 * belong in the file or behind Kafka's config providers ({@code ${file:...}}, {@code ${env:...}}),
 * never on a command line, which the Flink Web UI and {@code ps} show.
 */
public class KafkaOptions {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaOptions.class);

  public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT,...",
      description =
          "Kafka bootstrap servers (default: bootstrap.servers of --kafka-properties, else "
              + DEFAULT_BOOTSTRAP_SERVERS
              + ").")
  String bootstrapServers;

  @Option(
      names = KafkaClientProperties.FILE_OPTION,
      paramLabel = "FILE",
      description =
          "Kafka client properties (security.protocol, sasl.*, ssl.*, timeouts, ...) for every"
              + " Kafka client Tally creates; config providers (${file:...}, ${env:...}) work.")
  Path propertiesFile;

  @Option(
      names = KafkaClientProperties.PROPERTY_OPTION,
      paramLabel = "KEY=VALUE",
      description = "A Kafka client property; repeatable, wins over --kafka-properties.")
  List<String> properties = new ArrayList<>();

  private transient KafkaClientProperties loaded;

  /**
   * The explicit option, else the properties file's {@code bootstrap.servers}, else the default.
   */
  public String bootstrapServers() {
    if (bootstrapServers != null) {
      return bootstrapServers;
    }
    return clientProperties().bootstrapServers().orElse(DEFAULT_BOOTSTRAP_SERVERS);
  }

  /** The user's client properties (loaded once; a bad file or KEY=VALUE fails with one line). */
  public KafkaClientProperties clientProperties() {
    if (loaded == null) {
      loaded = KafkaClientProperties.load(propertiesFile, properties);
      List<String> exposed = loaded.secretsFromCommandLine();
      if (!exposed.isEmpty()) {
        LOG.warn(
            "{} {} holds a secret on the command line, where ps, shell history and job"
                + " submissions show it; put it into the {} file, or refer to it with a config"
                + " provider such as ${file:/path/secrets.properties:key}",
            KafkaClientProperties.PROPERTY_OPTION,
            String.join(", ", exposed),
            KafkaClientProperties.FILE_OPTION);
      }
    }
    return loaded;
  }

  /** The bootstrap servers and client properties together: what every Kafka client is made from. */
  public KafkaConnection connection() {
    return new KafkaConnection(bootstrapServers(), clientProperties());
  }

  /** For programmatic use (tests, the demo, chaos): this connection instead of the options. */
  public KafkaOptions connection(KafkaConnection connection) {
    this.bootstrapServers = connection.bootstrapServers();
    this.loaded = connection.client();
    return this;
  }

  /** For programmatic use (tests, the demo, chaos): connect to {@code servers}. */
  public KafkaOptions bootstrapServers(String servers) {
    this.bootstrapServers = servers;
    return this;
  }

  /** For programmatic use: these client properties instead of any file or overrides. */
  public KafkaOptions clientProperties(KafkaClientProperties properties) {
    this.loaded = properties;
    return this;
  }

  /** The arguments that give a job on another JVM the same connection (never inline secrets). */
  public List<String> toArguments() {
    List<String> args = new ArrayList<>(List.of("--bootstrap-servers", bootstrapServers()));
    if (propertiesFile != null) {
      args.addAll(List.of(KafkaClientProperties.FILE_OPTION, propertiesFile.toString()));
    }
    for (String property : properties) {
      args.addAll(List.of(KafkaClientProperties.PROPERTY_OPTION, property));
    }
    return args;
  }
}
