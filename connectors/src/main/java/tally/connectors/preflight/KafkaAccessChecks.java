package tally.connectors.preflight;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import tally.connectors.kafka.KafkaClientProperties.ClientKind;
import tally.connectors.kafka.KafkaFailures;

/**
 * Whether the job's principal may do what the job will do, asked with what any principal may ask
 * about itself (no DESCRIBE on the cluster, no ACL listing): the operations Kafka says it is
 * authorized for on each topic and on its consumer group, and a probe of its transactional-id
 * prefix. A missing ACL is refused at start-up, named, instead of failing tasks in a restart loop.
 *
 * <p>What each check asks, as measured on a Kafka 4.2 broker with the StandardAuthorizer:
 *
 * <ul>
 *   <li>Topics: {@code describeTopics(..., includeAuthorizedOperations)} lists the principal's
 *       operations per topic. A topic the principal may not even DESCRIBE is missing from {@code
 *       listTopics}; describing it by name tells "not authorized" (whether or not it exists) from
 *       "does not exist".
 *   <li>The consumer group: {@code describeConsumerGroups(..., includeAuthorizedOperations)}. A
 *       group that does not exist yet answers "not found" only to a principal that may DESCRIBE it,
 *       so READ (needed to commit offsets) can be checked only once the group exists.
 *   <li>The transactional ids, first DESCRIBE: {@code describeTransactions(<prefix>-probe)} answers
 *       "not found" (or the probe's state) to a principal that may DESCRIBE the id and "not
 *       authorized" to one that may not.
 *   <li>Then WRITE, which the sink needs to begin and commit its transactions: a transactional
 *       producer with id {@code <prefix>-probe}, configured as the sink's producers are (the user's
 *       client properties), calls {@code initTransactions()} and closes. Kafka answers "not
 *       authorized" to a principal without WRITE on the id; with a grant of DESCRIBE only it would
 *       otherwise pass here and fail in the sink. A PREFIXED ACL on the prefix (what {@code
 *       bin/tally acls} grants) covers the probe and the sink's ids alike.
 * </ul>
 *
 * <p>Why the WRITE probe is safe for the sink (connector 5.0.0, POOLING naming): the sink's ids are
 * {@code <prefix>-<subtask>-<n>}, numbers only after the prefix, so {@code <prefix>-probe} is never
 * one of them. Its recovery aborts lingering transactions by listing, with {@code
 * listTransactions}, only those in state ONGOING whose producer is active on a partition of its
 * output topics, and parses the subtask out of each (a non-number there would fail it). The probe
 * never begins a transaction and never writes: its state stays Empty and its producer is active on
 * no partition, so it is never listed, never parsed, never aborted. What it leaves on the brokers
 * is one entry in the transaction log, the same id reused by every start, which the brokers expire
 * after {@code transactional.id.expiration.ms} (7 days by default) without use. On a cluster that
 * never saw a transaction, the first probe creates the transaction log topic, as the sink's first
 * transaction would.
 */
final class KafkaAccessChecks {

  /** Appended to the prefix for the transactional-id probe; never a real id of the sink. */
  static final String PROBE_SUFFIX = "-probe";

  private final Admin admin;
  private final StartupChecks.Settings settings;
  private final Duration timeout;

  /** Operations the job needs and has not got, in order, each with why it needs it. */
  private final Map<String, String> missing = new LinkedHashMap<>();

  KafkaAccessChecks(Admin admin, StartupChecks.Settings settings, Duration timeout) {
    this.admin = admin;
    this.settings = settings;
    this.timeout = timeout;
  }

  /**
   * Of {@code unlisted} topics (needed, but not in {@code listTopics}), those Kafka refuses to
   * describe: they may exist, but the principal may not use them. The others do not exist.
   */
  Set<String> notAuthorized(Collection<String> unlisted) throws TimeoutException {
    Set<String> denied = new LinkedHashSet<>();
    if (unlisted.isEmpty()) {
      return denied;
    }
    Map<String, KafkaFuture<TopicDescription>> described =
        admin.describeTopics(unlisted).topicNameValues();
    for (String topic : unlisted) {
      try {
        get(described.get(topic));
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TopicAuthorizationException) {
          denied.add(topic);
        } // UnknownTopicOrPartitionException and the like: it does not exist
      }
    }
    return denied;
  }

  /**
   * One problem naming every operation the principal lacks (empty if none), e.g. "Kafka at ... does
   * not allow the job's principal WRITE on TransactionalId prefix tally-ledger (...)".
   *
   * @param denied topics Kafka refused to describe at all (from {@link #notAuthorized})
   * @param present topics that exist and are listed for the principal
   */
  List<String> check(Set<String> denied, Set<String> present)
      throws TimeoutException, ExecutionException {
    boolean exactlyOnce = settings.guarantee() == DeliveryGuarantee.EXACTLY_ONCE;
    Map<String, Set<AclOperation>> operations = topicOperations(present);
    for (String input : settings.inputTopics()) {
      requireTopic(input, AclOperation.READ, "the Kafka source reads it", denied, operations);
    }
    for (String output : settings.outputTopics()) {
      requireTopic(output, AclOperation.WRITE, "the Kafka sink writes it", denied, operations);
    }
    if (exactlyOnce) {
      for (String output : settings.outputTopics()) {
        requireTopic(
            output,
            AclOperation.READ,
            "the exactly-once sink's recovery lists its producers to abort lingering"
                + " transactions",
            denied,
            operations);
      }
    }
    if (settings.groupId() != null) {
      checkGroup(settings.groupId());
    }
    if (exactlyOnce && settings.transactionalIdPrefix() != null) {
      checkTransactionalIds(settings.transactionalIdPrefix());
    }
    if (missing.isEmpty()) {
      return List.of();
    }
    List<String> needs = new ArrayList<>();
    missing.forEach((what, why) -> needs.add(what + " (" + why + ")"));
    return List.of(
        "Kafka at "
            + settings.kafka().bootstrapServers()
            + " does not allow the job's principal "
            + String.join(", ", needs)
            + ": grant these ACLs to the principal of --kafka-properties (bin/tally acls creates"
            + " the ones each job needs), or use another principal");
  }

  private Map<String, Set<AclOperation>> topicOperations(Set<String> present)
      throws TimeoutException, ExecutionException {
    Map<String, Set<AclOperation>> result = new LinkedHashMap<>();
    if (present.isEmpty()) {
      return result;
    }
    Map<String, TopicDescription> described =
        get(
            admin
                .describeTopics(
                    present, new DescribeTopicsOptions().includeAuthorizedOperations(true))
                .allTopicNames());
    described.forEach(
        (topic, description) -> {
          if (description.authorizedOperations() != null) { // null: the broker did not say
            result.put(topic, description.authorizedOperations());
          }
        });
    return result;
  }

  private void requireTopic(
      String topic,
      AclOperation operation,
      String why,
      Set<String> denied,
      Map<String, Set<AclOperation>> operations) {
    Set<AclOperation> allowed = operations.get(topic);
    boolean lacking =
        denied.contains(topic)
            || (allowed != null
                && !allowed.contains(operation)
                && !allowed.contains(AclOperation.ALL));
    if (lacking) {
      missing.putIfAbsent(operation + " on Topic " + topic, why);
    }
  }

  private void checkGroup(String group) throws TimeoutException, ExecutionException {
    String why = "the source commits its offsets there at each checkpoint and starts from them";
    try {
      ConsumerGroupDescription description =
          get(
              admin
                  .describeConsumerGroups(
                      List.of(group),
                      new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
                  .describedGroups()
                  .get(group));
      Set<AclOperation> allowed = description.authorizedOperations();
      if (allowed != null
          && !allowed.contains(AclOperation.READ)
          && !allowed.contains(AclOperation.ALL)) {
        missing.put("READ on Group " + group, why);
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupAuthorizationException) {
        missing.put("READ on Group " + group, why);
      } else if (!(e.getCause() instanceof GroupIdNotFoundException)) {
        throw e; // not found: no offsets yet, and the principal may describe it
      }
    }
  }

  private void checkTransactionalIds(String prefix) throws TimeoutException, ExecutionException {
    String probe = prefix + PROBE_SUFFIX;
    String what = "WRITE on TransactionalId prefix " + prefix;
    String why = "the exactly-once sink's transactions " + prefix + "-<subtask>-<n>";
    try {
      get(admin.describeTransactions(List.of(probe)).description(probe));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TransactionalIdAuthorizationException) {
        missing.put(what, why);
        return;
      } else if (!(e.getCause() instanceof TransactionalIdNotFoundException)) {
        throw e;
      }
    }
    if (!mayWrite(probe)) {
      missing.put(what, why);
    }
  }

  /** Whether a transactional producer with id {@code probe} may initialize (WRITE on the id). */
  private boolean mayWrite(String probe) throws TimeoutException, ExecutionException {
    Map<String, Object> required = new LinkedHashMap<>();
    required.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, probe);
    required.put(ProducerConfig.CLIENT_ID_CONFIG, "tally-startup-check");
    // Far below any broker's transaction.max.timeout.ms, so the probe never trips over it (the
    // sink's own --transaction-timeout is checked against it separately).
    required.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
    Map<String, Object> tunables = new LinkedHashMap<>();
    tunables.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    tunables.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    Properties config = settings.kafka().config(ClientKind.SINK_PRODUCER, required, tunables);
    KafkaProducer<byte[], byte[]> producer = null;
    try {
      producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
      producer.initTransactions(); // no transaction is begun: nothing to list, parse or abort
      return true;
    } catch (KafkaException e) {
      if (causedBy(e, TransactionalIdAuthorizationException.class)) {
        return false;
      }
      if (causedBy(e, org.apache.kafka.common.errors.TimeoutException.class)) {
        throw new TimeoutException(
            "initTransactions() of " + probe + " did not finish: " + e.getMessage());
      }
      throw new ExecutionException(e);
    } finally {
      if (producer != null) {
        producer.close(Duration.ofSeconds(5));
      }
    }
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    return KafkaFailures.firstCause(failure, type).isPresent();
  }

  private <T> T get(KafkaFuture<T> future) throws ExecutionException, TimeoutException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking Kafka", e);
    }
  }
}
