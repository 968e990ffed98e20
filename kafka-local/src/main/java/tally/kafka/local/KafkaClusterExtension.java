package tally.kafka.local;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Kafka cluster per test class, chosen by {@link KafkaClusters} (embedded broker here,
 * Testcontainers where a Docker engine answers).
 *
 * <p>Use from another module's tests: add {@code dev.tally:tally-kafka-local} with {@code
 * <scope>test</scope>} (JUnit comes from the parent pom; this module declares junit-jupiter-api as
 * {@code provided}, so it adds no JUnit of its own), then register it on a <b>static</b> field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();
 *
 * @Test
 * void writesToKafka() {
 *     KAFKA.createTopic("payments", 2);
 *     String bootstrap = KAFKA.bootstrapServers();
 * }
 * }</pre>
 *
 * The cluster starts in {@code beforeAll} and stops in {@code afterAll} of the class that
 * registered it; {@code @Nested} classes share it.
 *
 * <p>A secured broker (always the embedded one): {@code new
 * KafkaClusterExtension(KafkaClusterOptions.builder()
 * .security(BrokerSecurity.SASL_SSL_SCRAM).build())}; {@link #admin()} is then the super user, and
 * clients take their settings from {@link #clientProperties(String)}, e.g. {@code
 * KAFKA.clientProperties("ledger")}.
 */
public final class KafkaClusterExtension implements BeforeAllCallback, AfterAllCallback {

  private static final long ADMIN_TIMEOUT_SECONDS = 30;

  private final KafkaClusterOptions options;
  private KafkaCluster cluster;
  private Admin admin;
  private String ownerContextId;

  public KafkaClusterExtension() {
    this(KafkaClusterOptions.defaults());
  }

  public KafkaClusterExtension(KafkaClusterOptions options) {
    this.options = options;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (cluster == null) {
      cluster = KafkaClusters.start(options);
      ownerContextId = context.getUniqueId();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!context.getUniqueId().equals(ownerContextId)) {
      return; // a @Nested class finished; the outer class still needs the cluster
    }
    try {
      if (admin != null) {
        admin.close();
      }
    } finally {
      admin = null;
      cluster.close();
      cluster = null;
      ownerContextId = null;
    }
  }

  public KafkaCluster cluster() {
    if (cluster == null) {
      throw new IllegalStateException(
          "no Kafka cluster running: register KafkaClusterExtension on a static"
              + " field with @RegisterExtension, and use it only inside the test class");
    }
    return cluster;
  }

  public String bootstrapServers() {
    return cluster().bootstrapServers();
  }

  /**
   * An Admin client for this cluster, created on first use and closed in {@code afterAll}; on a
   * secured cluster it is the super user {@value BrokerSecurity#ADMIN}.
   */
  public synchronized Admin admin() {
    if (admin == null) {
      admin = Admin.create(cluster().clientProperties(BrokerSecurity.ADMIN));
    }
    return admin;
  }

  /** See {@link KafkaCluster#clientProperties(String)}. */
  public Properties clientProperties(String principal) {
    return cluster().clientProperties(principal);
  }

  /** Creates a topic with replication factor 1 (topics are not auto-created); waits up to 30 s. */
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  /**
   * As {@link #createTopic(String, int)}, with topic configs such as {@code
   * cleanup.policy=compact}.
   */
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs);
    try {
      admin().createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "topic "
              + name
              + " not created within "
              + ADMIN_TIMEOUT_SECONDS
              + " s on "
              + cluster().describe(),
          e);
    }
  }
}
