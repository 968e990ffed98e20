package tally.kafka.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the Kafka the environment asks for: see {@link ProviderSelection} ({@code
 * -Dtally.kafka.provider} or {@code TALLY_KAFKA_PROVIDER} = {@code auto} | {@code embedded} |
 * {@code testcontainers}).
 */
public final class KafkaClusters {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaClusters.class);

  private KafkaClusters() {}

  public static KafkaCluster start() {
    return start(KafkaClusterOptions.defaults());
  }

  /** A secured cluster ({@link KafkaClusterOptions#security()}) is always the embedded broker. */
  public static KafkaCluster start(KafkaClusterOptions options) {
    if (options.security().isSecured()) {
      LOG.info(
          "Kafka provider: embedded ({} is set up by the embedded broker only)",
          options.security());
      return start(KafkaProvider.EMBEDDED, options);
    }
    ProviderSelection.Choice choice = ProviderSelection.fromEnvironment();
    LOG.info("Kafka provider: {} ({})", choice.provider().id(), choice.reason());
    return start(choice.provider(), options);
  }

  /** Starts a specific provider, ignoring the environment. */
  public static KafkaCluster start(KafkaProvider provider, KafkaClusterOptions options) {
    return switch (provider) {
      case EMBEDDED -> EmbeddedKafkaBroker.builder().options(options).start();
      case TESTCONTAINERS -> ContainerKafkaCluster.start(options);
      case AUTO -> start(options);
    };
  }
}
