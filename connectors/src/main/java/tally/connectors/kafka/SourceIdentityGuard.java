package tally.connectors.kafka;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.connectors.kafka.KafkaClientProperties.ClientKind;

/**
 * Refuses to restore state that was taken against another Kafka: a pass-through operator placed
 * right after the Kafka source (same parallelism, so it chains to the source) that records in every
 * checkpoint and savepoint which Kafka the job read ({@link KafkaIdentity}: the cluster id, and
 * each input topic's id and partition count) and compares that with the live cluster on every
 * restore: resuming from a retained checkpoint, {@code flink run -s}, a failover, HA recovery.
 *
 * <ul>
 *   <li><b>Fresh start</b>: records the live identity.
 *   <li><b>Restore, same Kafka</b>: carries on. More partitions than recorded are fine (the new
 *       ones start at their beginning); the new count is recorded.
 *   <li><b>Restore, other Kafka</b> (another cluster id; a topic of the same name with another
 *       topic id or fewer partitions, i.e. deleted and recreated; a recorded topic that is gone):
 *       the job fails with {@link ForeignKafkaStateException}, one line naming both sides and the
 *       way out, wrapped in Flink's {@link SuppressRestartsException} so it fails for good instead
 *       of restarting into the same state. The subtask throws before its source emits a record, so
 *       nothing reaches the outputs.
 *   <li><b>Restore, other Kafka, with {@value #ALLOW_FOREIGN_STATE_OPTION}</b>: adopts the state,
 *       logs a WARN line saying so (subtask 0), and records the live identity from then on. (The
 *       exactly-once sink's pending transactions of the other cluster are dropped by {@link
 *       ExactlyOnceKafkaSink}, which the jobs use with the same option.)
 *   <li><b>Restore of state without an identity</b> (taken before this guard was in the job, or
 *       under another uid): accepted and the live identity recorded, with an INFO line.
 *   <li><b>Kafka unreachable</b> (or any other failure to ask it): an ordinary failure, retried by
 *       the job's restart strategy.
 * </ul>
 *
 * <p>The identity is operator state with union redistribution, so after rescaling every subtask
 * sees it; only subtask 0 writes it (duplicates from any other writer are harmless). The state
 * holds one {@code String} per identity in {@link KafkaIdentity}'s documented encoding, under
 * {@value #STATE_NAME}, with Flink's String serializer (no Kryo).
 *
 * <p>Each subtask asks Kafka once per (re)start: one admin client, {@code describeCluster} and
 * {@code describeTopics}, within {@code default.api.timeout.ms} = 30 s unless the user's client
 * properties say otherwise, closed afterwards.
 */
public final class SourceIdentityGuard<T> extends RichMapFunction<T, T>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SourceIdentityGuard.class);

  /** The job option that adopts foreign state anyway; the refusal message names it. */
  public static final String ALLOW_FOREIGN_STATE_OPTION = "--allow-foreign-state";

  /** The operator state's name (part of the savepoint format: never change it). */
  public static final String STATE_NAME = "tally-kafka-identity";

  /** The operator's name in the Web UI. */
  public static final String OPERATOR_NAME = "Kafka identity check";

  /** How to start without state, for the refusal message. */
  static final String WAY_OUT =
      "Start without state (bin/tally run <job> --fresh, or flink run without -s), or pass "
          + ALLOW_FOREIGN_STATE_OPTION
          + " to adopt it anyway.";

  /** The admin client's default.api.timeout.ms unless the user's client properties set one. */
  static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private static final ListStateDescriptor<String> STATE =
      new ListStateDescriptor<>(STATE_NAME, Types.STRING);

  /** Where the live identity comes from: the Kafka cluster, or a fake in tests. */
  @FunctionalInterface
  public interface IdentitySource extends Serializable {
    /**
     * The live identity for {@code topics}. A topic that does not exist is left out of the result;
     * any other failure to ask Kafka is thrown (with a one-line message).
     */
    KafkaIdentity lookUp(List<String> topics) throws Exception;

    /** Asks the Kafka at {@code kafka} with an admin client (the user's security settings). */
    static IdentitySource of(KafkaConnection kafka) {
      return new AdminIdentitySource(kafka);
    }
  }

  private final IdentitySource liveIdentity;
  private final ArrayList<String> topics;
  private final boolean allowForeignState;

  private transient ListState<String> state;
  private transient KafkaIdentity current;

  /**
   * @param kafka the Kafka the job's source reads
   * @param topics the source's topics
   * @param allowForeignState adopt state taken against another Kafka (the job's {@value
   *     #ALLOW_FOREIGN_STATE_OPTION})
   */
  public SourceIdentityGuard(
      KafkaConnection kafka, List<String> topics, boolean allowForeignState) {
    this(IdentitySource.of(kafka), topics, allowForeignState);
  }

  /** As above, with the live identity from {@code liveIdentity} (tests). */
  public SourceIdentityGuard(
      IdentitySource liveIdentity, List<String> topics, boolean allowForeignState) {
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("a Kafka identity guard needs the source's topics");
    }
    this.liveIdentity = liveIdentity;
    this.topics = new ArrayList<>(new LinkedHashSet<>(topics));
    this.allowForeignState = allowForeignState;
  }

  /**
   * {@code source} followed by a guard: same parallelism (a forward edge, chained to the source),
   * same type, named {@value #OPERATOR_NAME}. Give the result a stable {@code uid}.
   */
  public static <T> SingleOutputStreamOperator<T> guard(
      DataStream<T> source, KafkaConnection kafka, List<String> topics, boolean allowForeignState) {
    return guard(source, new SourceIdentityGuard<>(kafka, topics, allowForeignState));
  }

  /** As above with a given guard. */
  public static <T> SingleOutputStreamOperator<T> guard(
      DataStream<T> source, SourceIdentityGuard<T> guard) {
    return source
        .map(guard, source.getType())
        .setParallelism(source.getParallelism())
        .name(OPERATOR_NAME);
  }

  @Override
  public T map(T value) {
    return value;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    state = context.getOperatorStateStore().getUnionListState(STATE);
    boolean reporter = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    KafkaIdentity live = lookUpLive();

    if (!context.isRestored()) {
      requireTopics(live);
      current = live;
      if (reporter) {
        LOG.info("Starting without state; checkpoints record {}", live.describe(topics));
      }
      return;
    }

    List<KafkaIdentity> recorded = restored();
    if (recorded.isEmpty()) {
      requireTopics(live);
      current = live;
      if (reporter) {
        LOG.info(
            "The restored state records no Kafka identity (taken before Tally recorded it, or by"
                + " an operator with another uid), so it cannot be checked; checkpoints record {}"
                + " from now on",
            live.describe(topics));
      }
      return;
    }

    for (KafkaIdentity then : recorded) {
      KafkaIdentity.Comparison comparison = then.compareWith(live, topics);
      if (!comparison.matches()) {
        String conflicts = String.join("; ", comparison.conflicts());
        if (!allowForeignState) {
          String refusal =
              "Refusing to restore state taken against "
                  + then.describe(topics)
                  + " on "
                  + live.describe(topics)
                  + ": "
                  + conflicts
                  + ". "
                  + WAY_OUT;
          if (reporter) {
            LOG.error(refusal);
          }
          // Not restartable: every restart would restore the same state and refuse again.
          throw new SuppressRestartsException(new ForeignKafkaStateException(refusal));
        }
        if (reporter) {
          LOG.warn(
              "ADOPTING FOREIGN STATE ({}): restoring state taken against {} on {} although {};"
                  + " its offsets and everything derived from them are used as they are, and"
                  + " checkpoints record Kafka cluster {} from now on",
              ALLOW_FOREIGN_STATE_OPTION,
              then.describe(topics),
              live.describe(topics),
              conflicts,
              live.clusterId());
        }
      } else if (!comparison.grown().isEmpty() && reporter) {
        LOG.info(
            "Restored state of {}: {}; the new partitions are read from their beginning",
            live.describeCluster(),
            String.join("; ", comparison.grown()));
      }
    }
    requireTopics(live);
    current = live;
    if (reporter) {
      LOG.debug("Restored state matches {}", live.describe(topics));
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
      state.update(List.of(current.encode()));
    } else {
      state.clear();
    }
  }

  /** The identity this subtask records in its checkpoints (after {@link #initializeState}). */
  public KafkaIdentity identity() {
    return current;
  }

  /** The distinct identities in the restored union state (each subtask 0 wrote one). */
  private List<KafkaIdentity> restored() throws Exception {
    Set<String> distinct = new LinkedHashSet<>();
    for (String encoded : state.get()) {
      distinct.add(encoded);
    }
    List<KafkaIdentity> identities = new ArrayList<>();
    for (String encoded : distinct) {
      try {
        identities.add(KafkaIdentity.decode(encoded));
      } catch (IllegalArgumentException e) {
        // Restarting would read the same state again: fail for good.
        throw new SuppressRestartsException(
            new IllegalStateException(
                "Cannot read the Kafka identity in the restored state ("
                    + e.getMessage()
                    + "). "
                    + WAY_OUT,
                e));
      }
    }
    return identities;
  }

  private KafkaIdentity lookUpLive() {
    try {
      return liveIdentity.lookUp(topics);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot check which Kafka the job's state belongs to: " + e.getMessage(), e);
    }
  }

  /** A topic that is not there (and was not recorded): an ordinary failure, it may yet appear. */
  private void requireTopics(KafkaIdentity live) {
    List<String> missing = topics.stream().filter(t -> !live.topics().containsKey(t)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          (missing.size() == 1 ? "Topic " : "Topics ")
              + String.join(", ", missing)
              + (missing.size() == 1 ? " does" : " do")
              + " not exist on "
              + live.describeCluster()
              + "; create "
              + (missing.size() == 1 ? "it" : "them")
              + " (bin/tally topics create) or point the job at the right Kafka");
    }
  }

  /** The live identity from the cluster, through an admin client. */
  private static final class AdminIdentitySource implements IdentitySource {
    private static final long serialVersionUID = 1L;
    private final KafkaConnection kafka;

    AdminIdentitySource(KafkaConnection kafka) {
      this.kafka = kafka;
    }

    @Override
    public KafkaIdentity lookUp(List<String> topics) {
      Map<String, Object> tunables = new LinkedHashMap<>();
      tunables.put(AdminClientConfig.CLIENT_ID_CONFIG, "tally-identity-guard");
      tunables.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ADMIN_TIMEOUT.toMillis());
      tunables.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
      Admin admin = null;
      try {
        // The user's properties win over these timeouts (a slow, far cluster may need longer).
        Properties config = kafka.config(ClientKind.ADMIN, Map.of(), tunables);
        long waitMs =
            Long.parseLong(
                    config.getProperty(
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        String.valueOf(ADMIN_TIMEOUT.toMillis())))
                + 5_000;
        admin = Admin.create(config);
        String clusterId = admin.describeCluster().clusterId().get(waitMs, TimeUnit.MILLISECONDS);
        Map<String, KafkaFuture<TopicDescription>> described =
            admin.describeTopics(topics).topicNameValues();
        List<KafkaIdentity.Topic> found = new ArrayList<>();
        for (String topic : topics) {
          try {
            TopicDescription description = described.get(topic).get(waitMs, TimeUnit.MILLISECONDS);
            found.add(
                new KafkaIdentity.Topic(
                    topic, description.topicId().toString(), description.partitions().size()));
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
              throw e;
            }
          }
        }
        return KafkaIdentity.of(clusterId, kafka.bootstrapServers(), found);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while asking Kafka at " + kafka.describe(), e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        throw new IllegalStateException(explain(cause), cause);
      } catch (TimeoutException | RuntimeException e) {
        throw new IllegalStateException(explain(e), e);
      } finally {
        if (admin != null) {
          admin.close(Duration.ofSeconds(5));
        }
      }
    }

    private String explain(Throwable failure) {
      return KafkaFailures.explain(failure, kafka.bootstrapServers(), kafka.client());
    }
  }
}
