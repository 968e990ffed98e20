package tally.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tally.connectors.kafka.KafkaIdentity.Topic;
import tally.connectors.kafka.SourceIdentityGuard.IdentitySource;

/**
 * The guard through Flink's operator test harness: real operator state snapshots and restores
 * (union redistribution included), with the live Kafka faked.
 */
class SourceIdentityGuardTest {
  private static final String TOPIC = "tally.transactions";
  private static final int MAX_PARALLELISM = 128;

  private static final KafkaIdentity CLUSTER_A =
      identity("MkU3OEVBNTcwNTJENDM2Qk", "broker-a:9092", "sP3cZ6mVTxG2o1bOJp5y-w", 4);
  private static final KafkaIdentity CLUSTER_B =
      identity("Zm9vYmFyYmF6cXV4cXV1eA", "broker-b:9092", "q4yXzV0KQx2b8gY6cRrLnA", 4);
  private static final KafkaIdentity A_RECREATED =
      identity(CLUSTER_A.clusterId(), "broker-a:9092", "Bq1S7Jd9Tr6N0jgQmVHJwA", 4);
  private static final KafkaIdentity A_FEWER =
      identity(CLUSTER_A.clusterId(), "broker-a:9092", "sP3cZ6mVTxG2o1bOJp5y-w", 2);
  private static final KafkaIdentity A_MORE =
      identity(CLUSTER_A.clusterId(), "broker-a:9092", "sP3cZ6mVTxG2o1bOJp5y-w", 6);
  private static final KafkaIdentity A_WITHOUT_TOPIC =
      KafkaIdentity.of(CLUSTER_A.clusterId(), "broker-a:9092", List.of());

  private final CapturedLog log = new CapturedLog();

  @BeforeEach
  void captureLog() {
    log.start();
    guardLogger().addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    guardLogger().removeAppender(log);
    log.stop();
  }

  @Test
  void passesRecordsThroughAndRecordsTheLiveIdentityOnAFreshStart() throws Exception {
    try (var harness = harness(guard(CLUSTER_A, false), 1, 0)) {
      harness.open(); // no state: a fresh start
      harness.processElement("t-1", 1L);
      harness.processElement("t-2", 2L);
      assertThat(harness.extractOutputValues()).containsExactly("t-1", "t-2");
      assertThat(guardOf(harness).identity()).isEqualTo(CLUSTER_A);
    }
    assertThat(log.lines(Level.INFO)).anyMatch(line -> line.contains("Starting without state"));
  }

  @Test
  void resumesOnTheSameKafka() throws Exception {
    OperatorSubtaskState state = snapshotAgainst(CLUSTER_A);
    try (var harness = restore(state, guard(CLUSTER_A, false), 1, 0)) {
      harness.processElement("t-3", 3L);
      assertThat(harness.extractOutputValues()).containsExactly("t-3");
      assertThat(guardOf(harness).identity()).isEqualTo(CLUSTER_A);
    }
    assertThat(log.lines(Level.WARN)).isEmpty();
  }

  @Test
  void refusesStateOfAnotherClusterWithoutRestarting() throws Exception {
    OperatorSubtaskState state = snapshotAgainst(CLUSTER_A);

    Throwable failure = catchThrowable(() -> restore(state, guard(CLUSTER_B, false), 1, 0));

    assertThat(find(failure, SuppressRestartsException.class)).isPresent();
    String message = refusal(failure);
    assertThat(message)
        .doesNotContain("\n")
        .startsWith(
            "Refusing to restore state taken against Kafka cluster MkU3OEVBNTcwNTJENDM2Qk at"
                + " broker-a:9092 (topic tally.transactions id sP3cZ6mVTxG2o1bOJp5y-w, 4"
                + " partitions) on Kafka cluster Zm9vYmFyYmF6cXV4cXV1eA at broker-b:9092 (topic"
                + " tally.transactions id q4yXzV0KQx2b8gY6cRrLnA, 4 partitions): the state belongs"
                + " to another Kafka cluster.")
        .contains("--fresh", "without -s", SourceIdentityGuard.ALLOW_FOREIGN_STATE_OPTION);
  }

  @Test
  void refusesATopicThatWasDeletedAndRecreated() throws Exception {
    OperatorSubtaskState state = snapshotAgainst(CLUSTER_A);

    Throwable failure = catchThrowable(() -> restore(state, guard(A_RECREATED, false), 1, 0));

    assertThat(find(failure, SuppressRestartsException.class)).isPresent();
    assertThat(refusal(failure))
        .doesNotContain("\n")
        .contains(
            "topic tally.transactions was deleted and recreated (id sP3cZ6mVTxG2o1bOJp5y-w, now"
                + " Bq1S7Jd9Tr6N0jgQmVHJwA)",
            SourceIdentityGuard.ALLOW_FOREIGN_STATE_OPTION);
  }

  @Test
  void refusesFewerPartitionsThanRecorded() throws Exception {
    OperatorSubtaskState state = snapshotAgainst(CLUSTER_A);

    Throwable failure = catchThrowable(() -> restore(state, guard(A_FEWER, false), 1, 0));

    assertThat(find(failure, SuppressRestartsException.class)).isPresent();
    assertThat(refusal(failure))
        .contains("topic tally.transactions has fewer partitions than the state recorded (2 < 4)");
  }

  @Test
  void refusesWhenARecordedTopicIsGone() throws Exception {
    OperatorSubtaskState state = snapshotAgainst(CLUSTER_A);

    Throwable failure = catchThrowable(() -> restore(state, guard(A_WITHOUT_TOPIC, false), 1, 0));

    assertThat(find(failure, SuppressRestartsException.class)).isPresent();
    assertThat(refusal(failure)).contains("topic tally.transactions no longer exists");
  }

  @Test
  void acceptsMorePartitionsAndRecordsTheNewCount() throws Exception {
    OperatorSubtaskState grown;
    try (var harness = restore(snapshotAgainst(CLUSTER_A), guard(A_MORE, false), 1, 0)) {
      assertThat(guardOf(harness).identity()).isEqualTo(A_MORE);
      grown = harness.snapshot(2L, 2L);
    }
    assertThat(log.lines(Level.INFO))
        .anyMatch(line -> line.contains("topic tally.transactions grew from 4 to 6 partitions"));

    // The new count is what the next checkpoint holds: 4 partitions are now "fewer".
    Throwable failure = catchThrowable(() -> restore(grown, guard(CLUSTER_A, false), 1, 0));
    assertThat(refusal(failure)).contains("fewer partitions than the state recorded (4 < 6)");
  }

  @Test
  void theOverrideAdoptsForeignStateLoudlyAndRecordsTheLiveKafkaFromThenOn() throws Exception {
    OperatorSubtaskState adopted;
    try (var harness = restore(snapshotAgainst(CLUSTER_A), guard(CLUSTER_B, true), 1, 0)) {
      harness.processElement("t-4", 4L);
      assertThat(harness.extractOutputValues()).containsExactly("t-4");
      assertThat(guardOf(harness).identity()).isEqualTo(CLUSTER_B);
      adopted = harness.snapshot(2L, 2L);
    }
    List<String> warnings = log.lines(Level.WARN);
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .doesNotContain("\n")
        .startsWith(
            "ADOPTING FOREIGN STATE (--allow-foreign-state): restoring state taken against"
                + " Kafka cluster MkU3OEVBNTcwNTJENDM2Qk")
        .contains("Zm9vYmFyYmF6cXV4cXV1eA", "another Kafka cluster");

    // Adopted: the next restore on B needs no override any more, and A is now the foreign one.
    try (var harness = restore(adopted, guard(CLUSTER_B, false), 1, 0)) {
      assertThat(guardOf(harness).identity()).isEqualTo(CLUSTER_B);
    }
    assertThat(refusal(catchThrowable(() -> restore(adopted, guard(CLUSTER_A, false), 1, 0))))
        .contains("taken against Kafka cluster Zm9vYmFyYmF6cXV4cXV1eA");
  }

  @Test
  void everySubtaskSeesTheIdentityAfterRescalingAndOnlySubtaskZeroReports() throws Exception {
    // Two subtasks snapshot (only subtask 0 writes), the job comes back with three.
    List<OperatorSubtaskState> before = new ArrayList<>();
    for (int subtask = 0; subtask < 2; subtask++) {
      try (var harness = harness(guard(CLUSTER_A, false), 2, subtask)) {
        harness.open();
        before.add(harness.snapshot(1L, 1L));
      }
    }
    OperatorSubtaskState merged =
        AbstractStreamOperatorTestHarness.repackageState(
            before.toArray(OperatorSubtaskState[]::new));

    for (int subtask = 0; subtask < 3; subtask++) {
      final int index = subtask;
      OperatorSubtaskState share =
          AbstractStreamOperatorTestHarness.repartitionOperatorState(
              merged, MAX_PARALLELISM, 2, 3, index);
      Throwable failure = catchThrowable(() -> restoreAt(share, guard(CLUSTER_B, false), 3, index));
      assertThat(refusal(failure)).as("subtask %d", index).contains("another Kafka cluster");
      try (var harness = restoreAt(share, guard(CLUSTER_B, true), 3, index)) {
        assertThat(guardOf(harness).identity()).isEqualTo(CLUSTER_B);
      }
    }
    assertThat(log.lines(Level.WARN)).as("one loud line, from subtask 0").hasSize(1);
  }

  @Test
  void duplicateIdentitiesInTheUnionStateAreHarmless() throws Exception {
    // As if every subtask had written the identity (e.g. a future release doing so).
    OperatorSubtaskState twice =
        AbstractStreamOperatorTestHarness.repackageState(
            snapshotAgainst(CLUSTER_A), snapshotAgainst(CLUSTER_A));
    try (var harness = restore(twice, guard(CLUSTER_A, false), 1, 0)) {
      assertThat(guardOf(harness).identity()).isEqualTo(CLUSTER_A);
    }
    assertThat(refusal(catchThrowable(() -> restore(twice, guard(CLUSTER_B, false), 1, 0))))
        .contains("another Kafka cluster");
  }

  @Test
  void stateWithoutAnIdentityIsAcceptedAndTheLiveOneRecorded() throws Exception {
    // A savepoint from before the guard existed: restored, but nothing under its state name.
    OperatorSubtaskState noIdentity;
    try (var harness = harness(guard(CLUSTER_A, false), 2, 1)) {
      harness.open();
      noIdentity = harness.snapshot(1L, 1L); // subtask 1 writes nothing
    }
    OperatorSubtaskState restored;
    try (var harness = restore(noIdentity, guard(CLUSTER_B, false), 1, 0)) {
      assertThat(guardOf(harness).identity()).isEqualTo(CLUSTER_B);
      restored = harness.snapshot(2L, 2L);
    }
    assertThat(log.lines(Level.INFO)).anyMatch(line -> line.contains("records no Kafka identity"));
    assertThat(refusal(catchThrowable(() -> restore(restored, guard(CLUSTER_A, false), 1, 0))))
        .contains("another Kafka cluster");
  }

  @Test
  void anUnreachableKafkaIsAnOrdinaryRetryableFailure() {
    IdentitySource unreachable =
        topics -> {
          throw new IllegalStateException("cannot reach Kafka at broker-a:9092: timed out");
        };
    Throwable failure =
        catchThrowable(
            () -> {
              try (var harness =
                  harness(new SourceIdentityGuard<>(unreachable, List.of(TOPIC), false), 1, 0)) {
                harness.open();
              }
            });
    assertThat(find(failure, SuppressRestartsException.class)).isEmpty();
    assertThat(find(failure, ForeignKafkaStateException.class)).isEmpty();
    assertThat(rootOf(failure).getMessage()).contains("cannot reach Kafka at broker-a:9092");
  }

  @Test
  void aMissingTopicOnAFreshStartIsAnOrdinaryFailure() {
    Throwable failure =
        catchThrowable(
            () -> {
              try (var harness = harness(guard(A_WITHOUT_TOPIC, false), 1, 0)) {
                harness.open();
              }
            });
    assertThat(find(failure, SuppressRestartsException.class)).isEmpty();
    assertThat(failure)
        .hasStackTraceContaining("Topic tally.transactions does not exist on Kafka cluster");
  }

  @Test
  void theDefaultIdentitySourceFailsWithOneLineWhenKafkaIsUnreachable() {
    // The user's client properties win over the guard's 30 s timeout: 1.5 s here.
    KafkaConnection nowhere =
        new KafkaConnection(
            "localhost:1",
            KafkaClientProperties.of(
                Map.of("default.api.timeout.ms", "1500", "request.timeout.ms", "1000")));
    long started = System.nanoTime();
    Throwable failure = catchThrowable(() -> IdentitySource.of(nowhere).lookUp(List.of(TOPIC)));
    assertThat(failure)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot reach Kafka at localhost:1");
    assertThat(failure.getMessage()).doesNotContain("\n");
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(15_000);
  }

  @Test
  void theEncodingIsStable() {
    String encoded = CLUSTER_A.encode();
    assertThat(encoded)
        .isEqualTo(
            "tally-kafka-identity/1 cluster=MkU3OEVBNTcwNTJENDM2Qk servers=broker-a%3A9092"
                + " topic=tally.transactions:sP3cZ6mVTxG2o1bOJp5y-w:4");
    assertThat(KafkaIdentity.decode(encoded)).isEqualTo(CLUSTER_A);
    // Fields of later versions are skipped; odd characters survive.
    KafkaIdentity odd =
        KafkaIdentity.of(
            "id with space:+%", "", List.of(new Topic("a.b", KafkaIdentity.NO_TOPIC_ID, 1)));
    assertThat(KafkaIdentity.decode(odd.encode() + " future=x")).isEqualTo(odd);
    assertThat(catchThrowable(() -> KafkaIdentity.decode("tally-kafka-identity/2 cluster=x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("newer Tally");
  }

  @Test
  void unreadableIdentityStateFailsWithoutRestarting() throws Exception {
    // Written by a later release in a format this one does not know.
    OperatorSubtaskState state;
    try (var harness =
        new OneInputStreamOperatorTestHarness<>(
            new StreamMap<>(new WritesRawIdentityState("tally-kafka-identity/9 cluster=x")),
            MAX_PARALLELISM,
            1,
            0)) {
      harness.setup(StringSerializer.INSTANCE);
      harness.open();
      state = harness.snapshot(1L, 1L);
    }
    Throwable failure = catchThrowable(() -> restore(state, guard(CLUSTER_A, false), 1, 0));
    assertThat(find(failure, SuppressRestartsException.class)).isPresent();
    assertThat(failure).hasStackTraceContaining("Cannot read the Kafka identity");
  }

  @Test
  void theHelperKeepsTheSourcesTypeAndParallelismSoTheGuardChainsToIt() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    DataStream<String> source = env.fromData("a", "b").setParallelism(1);
    SingleOutputStreamOperator<String> guarded =
        SourceIdentityGuard.guard(source, guard(CLUSTER_A, false));
    assertThat(guarded.getType()).isEqualTo(source.getType());
    assertThat(guarded.getParallelism()).isEqualTo(source.getParallelism());
    assertThat(guarded.getName()).isEqualTo(SourceIdentityGuard.OPERATOR_NAME);
    // A plain map() infers the type too (T in, T out).
    assertThat(source.map(guard(CLUSTER_A, false)).getType()).isEqualTo(Types.STRING);
  }

  // ---------------------------------------------------------------------------------------------

  private static KafkaIdentity identity(
      String cluster, String servers, String topicId, int partitions) {
    return KafkaIdentity.of(cluster, servers, List.of(new Topic(TOPIC, topicId, partitions)));
  }

  private static SourceIdentityGuard<String> guard(KafkaIdentity live, boolean allowForeignState) {
    IdentitySource source = topics -> live;
    return new SourceIdentityGuard<>(source, List.of(TOPIC), allowForeignState);
  }

  private static OneInputStreamOperatorTestHarness<String, String> harness(
      SourceIdentityGuard<String> guard, int parallelism, int subtask) throws Exception {
    var harness =
        new OneInputStreamOperatorTestHarness<String, String>(
            new StreamMap<>(guard), MAX_PARALLELISM, parallelism, subtask);
    harness.setup(StringSerializer.INSTANCE);
    return harness;
  }

  private static OperatorSubtaskState snapshotAgainst(KafkaIdentity live) throws Exception {
    try (var harness = harness(guard(live, false), 1, 0)) {
      harness.open();
      harness.processElement("t-1", 1L);
      return harness.snapshot(1L, 1L);
    }
  }

  private static OneInputStreamOperatorTestHarness<String, String> restore(
      OperatorSubtaskState state, SourceIdentityGuard<String> guard, int parallelism, int subtask)
      throws Exception {
    return restoreAt(state, guard, parallelism, subtask);
  }

  private static OneInputStreamOperatorTestHarness<String, String> restoreAt(
      OperatorSubtaskState state, SourceIdentityGuard<String> guard, int parallelism, int subtask)
      throws Exception {
    var harness = harness(guard, parallelism, subtask);
    try {
      harness.initializeState(state);
      harness.open();
      return harness;
    } catch (Exception | Error e) {
      try {
        harness.close();
      } catch (Exception ignored) {
        // the failure to initialize is what matters
      }
      throw e;
    }
  }

  @SuppressWarnings("unchecked")
  private static SourceIdentityGuard<String> guardOf(
      OneInputStreamOperatorTestHarness<String, String> harness) {
    var operator = (StreamMap<String, String>) harness.getOneInputOperator();
    return (SourceIdentityGuard<String>) operator.getUserFunction();
  }

  private static String refusal(Throwable failure) {
    assertThat(failure).as("the restore should have been refused").isNotNull();
    return find(failure, ForeignKafkaStateException.class)
        .map(Throwable::getMessage)
        .orElseThrow(() -> new AssertionError("no ForeignKafkaStateException in", failure));
  }

  private static <E extends Throwable> Optional<E> find(Throwable failure, Class<E> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  private static Throwable rootOf(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static Logger guardLogger() {
    return (Logger) LogManager.getLogger(SourceIdentityGuard.class);
  }

  /** Writes one raw string under the guard's state name: another release's state. */
  private static final class WritesRawIdentityState
      extends org.apache.flink.api.common.functions.RichMapFunction<String, String>
      implements org.apache.flink.streaming.api.checkpoint.CheckpointedFunction {
    private final String raw;
    private transient org.apache.flink.api.common.state.ListState<String> state;

    WritesRawIdentityState(String raw) {
      this.raw = raw;
    }

    @Override
    public String map(String value) {
      return value;
    }

    @Override
    public void initializeState(
        org.apache.flink.runtime.state.FunctionInitializationContext context) throws Exception {
      state =
          context
              .getOperatorStateStore()
              .getUnionListState(
                  new org.apache.flink.api.common.state.ListStateDescriptor<>(
                      SourceIdentityGuard.STATE_NAME,
                      org.apache.flink.api.common.typeinfo.Types.STRING));
    }

    @Override
    public void snapshotState(org.apache.flink.runtime.state.FunctionSnapshotContext context)
        throws Exception {
      state.update(List.of(raw));
    }
  }

  /** The guard's log lines, by level. */
  private static final class CapturedLog extends AbstractAppender {
    private final List<LogEvent> events = Collections.synchronizedList(new ArrayList<>());

    CapturedLog() {
      super("captured", null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      events.add(event.toImmutable());
    }

    List<String> lines(Level level) {
      synchronized (events) {
        return events.stream()
            .filter(e -> e.getLevel().equals(level))
            .map(e -> e.getMessage().getFormattedMessage())
            .toList();
      }
    }
  }
}
