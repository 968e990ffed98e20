package tally.kafka.local;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Kafka in Testcontainers' {@code apache/kafka} container, for machines with a Docker engine. The
 * broker gets the same {@link SingleBrokerDefaults} as the embedded one, passed as environment
 * variables.
 */
public final class ContainerKafkaCluster implements KafkaCluster {

  /** Keep in step with {@code kafka.version} in the parent pom. */
  public static final String DEFAULT_IMAGE = "apache/kafka:4.2.2";

  private static final Logger LOG = LoggerFactory.getLogger(ContainerKafkaCluster.class);

  private final KafkaContainer container;
  private final String image;
  private boolean closed;

  private ContainerKafkaCluster(KafkaContainer container, String image) {
    this.container = container;
    this.image = image;
  }

  public static ContainerKafkaCluster start(KafkaClusterOptions options) {
    return start(options, DEFAULT_IMAGE);
  }

  /**
   * PLAINTEXT only: a secured mode ({@link KafkaClusterOptions#security()}) fails with a {@link
   * KafkaStartException}.
   */
  public static ContainerKafkaCluster start(KafkaClusterOptions options, String image) {
    if (options.security().isSecured()) {
      throw new KafkaStartException(
          "the Testcontainers provider runs PLAINTEXT only; "
              + options.security()
              + " needs the embedded broker (KafkaProvider.EMBEDDED)");
    }
    KafkaContainer container =
        new KafkaContainer(DockerImageName.parse(image))
            .withEnv(environment(options.effectiveBrokerProperties()))
            .withStartupTimeout(options.startupTimeout());
    long started = System.nanoTime();
    try {
      container.start();
    } catch (RuntimeException e) {
      try {
        container.stop(); // a no-op unless the container was created
      } catch (RuntimeException stopFailure) {
        e.addSuppressed(stopFailure);
      }
      throw new KafkaStartException(
          "Kafka container " + image + " failed to start: " + e.getMessage(), e);
    }
    ContainerKafkaCluster cluster = new ContainerKafkaCluster(container, image);
    LOG.info(
        "Started {}: ready in {} ms",
        cluster.describe(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return cluster;
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public String describe() {
    String id = container.getContainerId();
    String shortId = id == null ? "not running" : id.substring(0, Math.min(12, id.length()));
    return "Testcontainers "
        + image
        + " (container "
        + shortId
        + ") at "
        + (id == null ? "-" : bootstrapServers());
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    String description = describe();
    container.stop();
    LOG.info("Stopped {}", description);
  }

  /** Broker properties as the {@code apache/kafka} image reads them from its environment. */
  static Map<String, String> environment(Map<String, String> brokerProperties) {
    Map<String, String> env = new LinkedHashMap<>();
    brokerProperties.forEach((key, value) -> env.put(envVarName(key), value));
    return env;
  }

  /**
   * The image's naming rule: {@code _} becomes {@code __}, {@code -} becomes {@code ___}, {@code .}
   * becomes {@code _}, upper case, prefix {@code KAFKA_}. The order matters: underscores first, so
   * those added for dashes and dots are not doubled.
   */
  static String envVarName(String property) {
    return "KAFKA_"
        + property
            .replace("_", "__")
            .replace("-", "___")
            .replace(".", "_")
            .toUpperCase(Locale.ROOT);
  }
}
