package tally.connectors.preflight;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.connectors.kafka.KafkaClientProperties.ClientKind;
import tally.connectors.kafka.KafkaConnection;
import tally.connectors.kafka.KafkaFailures;

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

  private static final Map<String, Object> ADMIN_TIMEOUTS =
      Map.of(
          AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);

  private StartupChecks() {}

  /**
   * What a job is about to do, as far as the checks care.
   *
   * @param flink the effective Flink settings: the cluster's configuration with the job's options
   *     and safe defaults applied
   * @param groupId the source's consumer group, or null: its access is not checked
   * @param transactionalIdPrefix the exactly-once sink's prefix, or null: its access is not checked
   */
  public record Settings(
      KafkaConnection kafka,
      List<String> inputTopics,
      List<String> outputTopics,
      DeliveryGuarantee guarantee,
      FlinkSettings flink,
      Duration transactionTimeout,
      String groupId,
      String transactionalIdPrefix) {

    /** Without a consumer group and transactional-id prefix to check access to. */
    public Settings(
        KafkaConnection kafka,
        List<String> inputTopics,
        List<String> outputTopics,
        DeliveryGuarantee guarantee,
        FlinkSettings flink,
        Duration transactionTimeout) {
      this(kafka, inputTopics, outputTopics, guarantee, flink, transactionTimeout, null, null);
    }

    /**
     * Flink settings given as job options, checkpoints retained in a durable directory (see {@link
     * FlinkSettings#ofOptions}): for checks of the Kafka side and tests.
     */
    public Settings(
        KafkaConnection kafka,
        List<String> inputTopics,
        List<String> outputTopics,
        DeliveryGuarantee guarantee,
        Duration checkpointInterval,
        Duration checkpointTimeout,
        Duration maxRestartBackoff,
        Duration transactionTimeout) {
      this(
          kafka,
          inputTopics,
          outputTopics,
          guarantee,
          FlinkSettings.ofOptions(checkpointInterval, checkpointTimeout, maxRestartBackoff),
          transactionTimeout,
          null,
          null);
    }
  }

  /**
   * Runs every check.
   *
   * @throws MisconfigurationException naming every problem found and what to change
   */
  public static void verify(Settings settings) {
    List<String> problems = new ArrayList<>(checkTimings(settings));
    problems.addAll(checkRetainedCheckpoints(settings));
    problems.addAll(checkClientProperties(settings));
    if (problems.isEmpty()) {
      problems.addAll(checkKafka(settings));
    }
    if (!problems.isEmpty()) {
      throw new MisconfigurationException(String.join("; ", problems));
    }
    LOG.info(
        "Start-up checks passed: Kafka at {}, topics {} -> {}, {} delivery",
        settings.kafka().describe(),
        settings.inputTopics(),
        settings.outputTopics(),
        settings.guarantee());
  }

  /**
   * Checks of the effective checkpoint interval, checkpoint timeout and restart backoff against the
   * transaction timeout; no Kafka needed.
   */
  static List<String> checkTimings(Settings s) {
    List<String> problems = new ArrayList<>();
    if (s.guarantee() != DeliveryGuarantee.EXACTLY_ONCE) {
      return problems;
    }
    FlinkSettings flink = s.flink();
    if (!flink.checkpointing()) {
      problems.add(checkpointingOff(flink.checkpointInterval()));
      return problems;
    }
    FlinkSettings.Setting<Duration> interval = flink.checkpointInterval();
    FlinkSettings.Setting<Duration> timeout = flink.checkpointTimeout();
    FlinkSettings.Setting<Duration> backoff = flink.maxRestartBackoff();
    Duration worstGap = interval.value().plus(timeout.value()).plus(backoff.value());
    Duration required = worstGap.multipliedBy(SAFETY_FACTOR);
    if (s.transactionTimeout().compareTo(required) < 0) {
      problems.add(
          String.format(
              "transaction timeout %s is too short: a transaction may stay open for checkpoint"
                  + " interval %s (%s) + checkpoint timeout %s (%s) + max restart backoff %s (%s)"
                  + " = %s, and the broker would abort it, losing committed output; set"
                  + " --transaction-timeout to at least %s, or shorten the others",
              human(s.transactionTimeout()),
              human(interval.value()),
              interval.source(),
              human(timeout.value()),
              timeout.source(),
              human(backoff.value()),
              backoff.source(),
              human(worstGap),
              human(required)));
    }
    return problems;
  }

  private static String checkpointingOff(FlinkSettings.Setting<Duration> interval) {
    // Exactly-once output is committed when a checkpoint completes.
    String consequence = ": exactly-once output would never commit; ";
    if (interval.origin() == FlinkSettings.Origin.OPTION) {
      return "checkpointing is off ("
          + interval.option()
          + " "
          + human(interval.value() == null ? Duration.ZERO : interval.value())
          + ")"
          + consequence
          + "pass a positive "
          + interval.option()
          + ", e.g. 1s, or use --delivery at-least-once";
    }
    String how =
        interval.value() == null
            ? interval.key() + " unset"
            : interval.key() + ": " + human(interval.value());
    return "checkpointing is off in the cluster configuration ("
        + how
        + ")"
        + consequence
        + interval.remedy()
        + ", or use --delivery at-least-once";
  }

  /**
   * Exactly-once needs a checkpoint that outlives the job: the ledger's state and the pending
   * transactions of its sink are in it, and a job started without them re-applies or loses input.
   */
  static List<String> checkRetainedCheckpoints(Settings s) {
    List<String> problems = new ArrayList<>();
    if (s.guarantee() != DeliveryGuarantee.EXACTLY_ONCE || !s.flink().checkpointing()) {
      return problems;
    }
    FlinkSettings.Setting<ExternalizedCheckpointRetention> retention =
        s.flink().checkpointRetention();
    if (retention.value() == ExternalizedCheckpointRetention.NO_EXTERNALIZED_CHECKPOINTS) {
      problems.add(
          "checkpoints are not retained ("
              + retention.key()
              + ": NO_EXTERNALIZED_CHECKPOINTS, "
              + retention.source()
              + "): when the job is cancelled or fails for good its last checkpoint is deleted,"
              + " and with it the account state and the sink's pending transactions; set "
              + retention.key()
              + ": RETAIN_ON_CANCELLATION in config.yaml");
    }
    FlinkSettings.Setting<String> storage = s.flink().checkpointStorage();
    if (storage.value() == null) {
      problems.add(
          "checkpoints would be kept only in the JobManager's memory ("
              + storage.key()
              + " unset): none survives the job or a JobManager restart; "
              + storage.remedy()
              + " (a durable URI such as s3://... or file:///...)");
    }
    return problems;
  }

  /** The user's client properties must not contradict what Tally's clients need. */
  static List<String> checkClientProperties(Settings s) {
    List<String> problems = new ArrayList<>();
    for (ClientKind kind :
        List.of(ClientKind.SOURCE_CONSUMER, ClientKind.SINK_PRODUCER, ClientKind.ADMIN)) {
      // Tally's own settings that do not depend on the client: a bootstrap.servers in the
      // properties file equal to the one used is no conflict.
      problems.addAll(
          s.kafka()
              .client()
              .conflicts(
                  kind,
                  Map.of(
                      CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, s.kafka().bootstrapServers())));
    }
    return problems.stream().distinct().toList();
  }

  /** Checks against the live cluster: it answers, topics exist, the broker allows the timeout. */
  static List<String> checkKafka(Settings s) {
    List<String> problems = new ArrayList<>();
    try (Admin admin = s.kafka().createAdmin(ADMIN_TIMEOUTS)) {
      Collection<Node> nodes;
      Set<String> topics;
      try {
        nodes = get(admin.describeCluster().nodes());
        topics = get(admin.listTopics().namesToListings()).keySet();
      } catch (TimeoutException | ExecutionException e) {
        problems.add(unreachable(s, e));
        return problems;
      }
      // A topic the principal may not DESCRIBE is not listed either: tell it from a missing one.
      KafkaAccessChecks access = new KafkaAccessChecks(admin, s, KAFKA_TIMEOUT);
      Set<String> denied;
      try {
        denied = access.notAuthorized(unlisted(s, topics));
      } catch (TimeoutException e) {
        problems.add(unreachable(s, e));
        return problems;
      }
      for (String topic : s.inputTopics()) {
        if (!topics.contains(topic) && !denied.contains(topic)) {
          problems.add(
              "input topic '"
                  + topic
                  + "' does not exist on "
                  + s.kafka().bootstrapServers()
                  + ": create it (bin/tally topics create) or pass the right topic name");
        }
      }
      List<String> missingOutputs =
          s.outputTopics().stream()
              .filter(t -> !topics.contains(t) && !denied.contains(t))
              .toList();
      if (!missingOutputs.isEmpty()) {
        problems.add(
            "output topics "
                + missingOutputs
                + " do not exist on "
                + s.kafka().bootstrapServers()
                + ": create them (bin/tally topics create) with the replication your cluster"
                + " needs; the job does not auto-create them");
      }
      try {
        problems.addAll(access.check(denied, present(s, topics)));
      } catch (TimeoutException | ExecutionException e) {
        problems.add(unreachable(s, e));
        return problems;
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

  /** The job's topics that the listing does not show. */
  private static List<String> unlisted(Settings s, Set<String> listed) {
    return Stream.concat(s.inputTopics().stream(), s.outputTopics().stream())
        .distinct()
        .filter(t -> !listed.contains(t))
        .toList();
  }

  /** The job's topics that the listing shows. */
  private static Set<String> present(Settings s, Set<String> listed) {
    Set<String> present = new LinkedHashSet<>();
    Stream.concat(s.inputTopics().stream(), s.outputTopics().stream())
        .filter(listed::contains)
        .forEach(present::add);
    return present;
  }

  /**
   * Only that Kafka answers and lets the client in (address, TLS, authentication), before a tool
   * does anything else with it.
   *
   * @throws MisconfigurationException with one line naming the cause
   */
  public static void verifyReachable(KafkaConnection kafka) {
    try (Admin admin = kafka.createAdmin(ADMIN_TIMEOUTS)) {
      get(admin.describeCluster().nodes());
    } catch (TimeoutException | ExecutionException e) {
      throw new MisconfigurationException(unreachable(kafka, e));
    }
  }

  /** One line: what failed (authentication, TLS, authorization, unreachable) and what to check. */
  private static String unreachable(Settings s, Exception e) {
    return unreachable(s.kafka(), e);
  }

  private static String unreachable(KafkaConnection kafka, Exception e) {
    if (e instanceof TimeoutException
        || KafkaFailures.categorize(e) == KafkaFailures.Category.UNREACHABLE) {
      return "cannot reach Kafka at "
          + kafka.bootstrapServers()
          + " within "
          + human(KAFKA_TIMEOUT)
          + ": start it, point --bootstrap-servers at a running broker, or check"
          + " security.protocol in --kafka-properties (now "
          + kafka
              .client()
              .asMap()
              .getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT, the default")
          + "; a PLAINTEXT client cannot talk to a TLS listener, it only sees disconnects)";
    }
    return KafkaFailures.explain(e, kafka.bootstrapServers(), kafka.client());
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
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      LOG.warn(
          "Could not read {} from broker {} ({}: {}), so --transaction-timeout is not checked"
              + " against it; grant the principal DESCRIBE_CONFIGS on the Cluster to check it",
          TRANSACTION_MAX_TIMEOUT,
          node.id(),
          cause.getClass().getSimpleName(),
          cause.getMessage());
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

  /**
   * A duration the way the options take it back (Flink's syntax: one unit, no space): whole
   * milliseconds are rounded up to seconds, then written in the largest unit that divides them,
   * e.g. 262 s -> "262s", 900 s -> "15min", 2 h -> "2h".
   */
  static String human(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    long seconds = d.toMillis() % 1000 == 0 ? d.toSeconds() : d.toSeconds() + 1;
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "min";
    }
    return seconds + "s";
  }
}
