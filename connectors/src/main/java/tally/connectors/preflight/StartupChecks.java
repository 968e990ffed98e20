package tally.connectors.preflight;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks made before a job is built, so a misconfiguration fails at start-up with a message that
 * says what to change, instead of as lost or duplicated data later.
 */
public final class StartupChecks {
  private static final Logger LOG = LoggerFactory.getLogger(StartupChecks.class);

  /** The broker default for {@code transaction.max.timeout.ms}. */
  static final String TRANSACTION_MAX_TIMEOUT = "transaction.max.timeout.ms";

  /**
   * How much larger than the worst gap between a transaction's start and its commit the transaction
   * timeout must be. A transaction opened just after a checkpoint is committed at the next
   * checkpoint, which may take a checkpoint interval, a checkpoint timeout and, after a failure,
   * the longest restart backoff; twice that leaves room for a slow recovery.
   */
  static final int SAFETY_FACTOR = 2;

  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(20);

  private StartupChecks() {}

  /** What a job is about to do, as far as the checks care. */
  public record Settings(
      String bootstrapServers,
      List<String> inputTopics,
      List<String> outputTopics,
      DeliveryGuarantee guarantee,
      Duration checkpointInterval,
      Duration checkpointTimeout,
      Duration maxRestartBackoff,
      Duration transactionTimeout) {}

  /**
   * Runs every check.
   *
   * @throws MisconfigurationException naming every problem found and what to change
   */
  public static void verify(Settings settings) {
    List<String> problems = new ArrayList<>(checkTimings(settings));
    if (problems.isEmpty()) {
      problems.addAll(checkKafka(settings));
    }
    if (!problems.isEmpty()) {
      throw new MisconfigurationException(String.join("; ", problems));
    }
    LOG.info(
        "Start-up checks passed: Kafka at {}, topics {} -> {}, {} delivery",
        settings.bootstrapServers(),
        settings.inputTopics(),
        settings.outputTopics(),
        settings.guarantee());
  }

  /** Checks of the settings alone, no Kafka needed. */
  static List<String> checkTimings(Settings s) {
    List<String> problems = new ArrayList<>();
    boolean checkpointing = s.checkpointInterval() != null && !s.checkpointInterval().isZero();
    if (s.guarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
      if (!checkpointing) {
        problems.add(
            "exactly-once delivery needs checkpointing (output is committed when a checkpoint"
                + " completes): set --checkpoint-interval, e.g. 1s, or use --delivery"
                + " at-least-once");
        return problems;
      }
      Duration worstGap =
          s.checkpointInterval().plus(s.checkpointTimeout()).plus(s.maxRestartBackoff());
      Duration required = worstGap.multipliedBy(SAFETY_FACTOR);
      if (s.transactionTimeout().compareTo(required) < 0) {
        problems.add(
            String.format(
                "transaction timeout %s is too short: a transaction may stay open for checkpoint"
                    + " interval %s + checkpoint timeout %s + max restart backoff %s = %s, and"
                    + " the broker would abort it, losing committed output; set"
                    + " --transaction-timeout to at least %s, or shorten the others",
                human(s.transactionTimeout()),
                human(s.checkpointInterval()),
                human(s.checkpointTimeout()),
                human(s.maxRestartBackoff()),
                human(worstGap),
                human(required)));
      }
    }
    return problems;
  }

  /** Checks against the live cluster: it answers, topics exist, the broker allows the timeout. */
  static List<String> checkKafka(Settings s) {
    List<String> problems = new ArrayList<>();
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    try (Admin admin = Admin.create(props)) {
      Collection<Node> nodes;
      Set<String> topics;
      try {
        nodes = get(admin.describeCluster().nodes());
        topics = get(admin.listTopics().namesToListings()).keySet();
      } catch (TimeoutException | ExecutionException e) {
        problems.add(
            "cannot reach Kafka at "
                + s.bootstrapServers()
                + " within "
                + human(KAFKA_TIMEOUT)
                + ": start it, or point --bootstrap-servers at a running broker");
        return problems;
      }
      for (String topic : s.inputTopics()) {
        if (!topics.contains(topic)) {
          problems.add(
              "input topic '"
                  + topic
                  + "' does not exist on "
                  + s.bootstrapServers()
                  + ": create it (bin/tally topics create) or pass the right topic name");
        }
      }
      List<String> missingOutputs =
          s.outputTopics().stream().filter(t -> !topics.contains(t)).toList();
      if (!missingOutputs.isEmpty()) {
        problems.add(
            "output topics "
                + missingOutputs
                + " do not exist on "
                + s.bootstrapServers()
                + ": create them (bin/tally topics create) with the replication your cluster"
                + " needs; the job does not auto-create them");
      }
      if (s.guarantee() == DeliveryGuarantee.EXACTLY_ONCE && !nodes.isEmpty()) {
        Duration brokerMax = transactionMaxTimeout(admin, nodes.iterator().next());
        if (brokerMax != null && s.transactionTimeout().compareTo(brokerMax) > 0) {
          problems.add(
              String.format(
                  "transaction timeout %s exceeds the broker's transaction.max.timeout.ms (%s),"
                      + " so the sink could not start: set --transaction-timeout to at most %s,"
                      + " or raise transaction.max.timeout.ms on the brokers",
                  human(s.transactionTimeout()), human(brokerMax), human(brokerMax)));
        }
      }
    }
    return problems;
  }

  private static Duration transactionMaxTimeout(Admin admin, Node node) {
    ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, node.idString());
    try {
      Map<ConfigResource, Config> configs = get(admin.describeConfigs(List.of(broker)).all());
      ConfigEntry entry = configs.get(broker).get(TRANSACTION_MAX_TIMEOUT);
      return entry == null || entry.value() == null
          ? null
          : Duration.ofMillis(Long.parseLong(entry.value()));
    } catch (TimeoutException | ExecutionException e) {
      // Not allowed to read broker configs (ACLs): the sink's own start-up will tell.
      LOG.warn(
          "Could not read {} from broker {}: {}", TRANSACTION_MAX_TIMEOUT, node.id(), e.toString());
      return null;
    }
  }

  private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future)
      throws ExecutionException, TimeoutException {
    try {
      return future.get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking Kafka", e);
    }
  }

  /** 90s -> "1m30s", 900000ms -> "15m". */
  static String human(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long h = d.toHours();
    int m = d.toMinutesPart();
    int s = d.toSecondsPart();
    int ms = d.toMillisPart();
    if (h > 0) sb.append(h).append('h');
    if (m > 0) sb.append(m).append('m');
    if (s > 0) sb.append(s).append('s');
    if (ms > 0) sb.append(ms).append("ms");
    return sb.toString();
  }
}
