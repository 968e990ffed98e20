package tally.kafka.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * A running Kafka cluster that the caller owns: started by a provider, stopped by {@link #close()}.
 *
 * <p>Get one from {@link KafkaClusters#start()} (chooses embedded or Testcontainers), or start a
 * specific provider directly: {@link EmbeddedKafkaBroker#builder()}, {@link
 * ContainerKafkaCluster#start(KafkaClusterOptions)}.
 *
 * <p>Clients that should work against PLAINTEXT and secured clusters alike take their settings from
 * {@link #clientProperties(String)} rather than from {@link #bootstrapServers()} alone.
 */
public interface KafkaCluster extends AutoCloseable {

  /** Value for the clients' {@code bootstrap.servers}, e.g. {@code localhost:40123}. */
  String bootstrapServers();

  /** One line for logs, e.g. {@code embedded KRaft broker 4.2.2 (pid 1234) at localhost:40123}. */
  String describe();

  /**
   * How clients connect; {@link BrokerSecurity#PLAINTEXT} unless this is a secured embedded broker.
   */
  default BrokerSecurity security() {
    return BrokerSecurity.PLAINTEXT;
  }

  /**
   * The principals clients can authenticate as ({@link BrokerSecurity#ADMIN} first); empty for
   * PLAINTEXT.
   */
  default List<String> principals() {
    return List.of();
  }

  /**
   * Everything a Kafka client of this principal needs (a fresh, mutable copy). For a PLAINTEXT
   * cluster, where every client is anonymous, {@code bootstrap.servers} only, whatever the
   * principal.
   */
  default Properties clientProperties(String principal) {
    Properties properties = new Properties();
    properties.setProperty("bootstrap.servers", bootstrapServers());
    return properties;
  }

  /**
   * {@link #clientProperties(String)} as a file readable only by its owner, for tools that take a
   * properties file.
   *
   * @throws IllegalStateException for a PLAINTEXT cluster, which needs no such file
   */
  default Path clientPropertiesFile(String principal) {
    throw new IllegalStateException(
        describe()
            + " is PLAINTEXT: it has no client properties files;"
            + " clients need only bootstrap.servers="
            + bootstrapServers());
  }

  /**
   * Stops whatever this cluster started. Idempotent; never throws for an already stopped cluster.
   */
  @Override
  void close();
}
