package tally.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.connectors.kafka.ExactlyOnceKafkaSink;
import tally.connectors.kafka.ForeignKafkaStateException;
import tally.connectors.kafka.KafkaConnection;
import tally.connectors.kafka.KafkaInputRecord;
import tally.connectors.kafka.KafkaSinks;
import tally.connectors.kafka.KafkaSources;
import tally.connectors.kafka.OutboundRecord;
import tally.connectors.kafka.SourceIdentityGuard;
import tally.jobs.common.Delivery;
import tally.jobs.common.RuntimeOptions;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerJobOptions;
import tally.jobs.ledger.LedgerTopology;
import tally.kafka.local.KafkaClusterExtension;
import tally.testkit.LedgerScenario;
import tally.testkit.audit.AuditReport;
import tally.testkit.generate.GeneratorSettings;
import tally.testkit.generate.TransactionProducer;

/**
 * State from another Kafka is refused on two real brokers: a job (Kafka source, {@link
 * SourceIdentityGuard}, at-least-once Kafka sink, so anything that got past the guard would show up
 * at once) stops with a savepoint on broker A and is started from it on broker B, and on A after
 * its input topic was deleted and recreated. Refused: FAILED without a single restart, the one-line
 * message as the root cause, nothing written. With the override it runs, and adopts B; the real
 * ledger with its exactly-once sink too, dropping A's pending transactions on B and committing them
 * on A.
 */
class ForeignStateIT {
  private static final Logger LOG = LoggerFactory.getLogger(ForeignStateIT.class);
  private static final int PARTITIONS = 2;
  private static final Duration PROMPTLY = Duration.ofSeconds(30);

  @RegisterExtension static final KafkaClusterExtension KAFKA_A = new KafkaClusterExtension();
  @RegisterExtension static final KafkaClusterExtension KAFKA_B = new KafkaClusterExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir Path state;

  /** Every job a test started: none may keep the two slots from the next test. */
  private final List<JobClient> jobs = new ArrayList<>();

  @AfterEach
  void cancelLeftovers() throws Exception {
    for (JobClient job : jobs) {
      if (!job.getJobStatus().get().isGloballyTerminalState()) {
        cancel(job);
      }
    }
  }

  @Test
  void aSavepointOfAnotherClusterIsRefusedUnlessAdoptedOnPurpose(
      @InjectMiniCluster MiniCluster flink) throws Exception {
    Topics topics = new Topics("other-cluster");
    topics.createOn(KAFKA_A);
    topics.createOn(KAFKA_B);

    // On A: read 10 records per partition, stop with a savepoint (offsets 10 and 10).
    produce(KAFKA_A, topics.input, 10);
    JobClient onA = start(KAFKA_A, topics, false, null);
    awaitOutput(KAFKA_A, topics.output, 20);
    String savepointOfA = stopWithSavepoint(onA);

    // On B (15 records per partition): refused at once, without a restart, nothing written.
    produce(KAFKA_B, topics.input, 15);
    long started = System.nanoTime();
    JobClient refused = start(KAFKA_B, topics, false, savepointOfA);
    String message = refusal(refused, flink);
    LOG.info("Refused in {} ms: {}", (System.nanoTime() - started) / 1_000_000, message);
    assertThat(message)
        .doesNotContain("\n")
        .startsWith("Refusing to restore state taken against Kafka cluster " + clusterId(KAFKA_A))
        .contains(
            "topic " + topics.input + " id " + topicId(KAFKA_A, topics.input) + ", 2 partitions",
            "on Kafka cluster " + clusterId(KAFKA_B) + " at " + KAFKA_B.bootstrapServers(),
            "topic " + topics.input + " id " + topicId(KAFKA_B, topics.input),
            "the state belongs to another Kafka cluster",
            "--fresh",
            SourceIdentityGuard.ALLOW_FOREIGN_STATE_OPTION);
    assertThat(endOffsets(KAFKA_B, topics.output)).as("records written to B's output").isZero();

    // With the override it runs on A's offsets (10 per partition): 5 of B's 15 per partition.
    JobClient adopting = start(KAFKA_B, topics, true, savepointOfA);
    awaitOutput(KAFKA_B, topics.output, 10);
    assertThat(restarts(flink, adopting.getJobID())).isZero();
    String savepointOnB = stopWithSavepoint(adopting);
    assertThat(endOffsets(KAFKA_B, topics.output)).isEqualTo(10);

    // Adopted: B's savepoint now records B, so it needs no override any more.
    JobClient resumed = start(KAFKA_B, topics, false, savepointOnB);
    awaitAllRunning(flink, resumed.getJobID());
    produce(KAFKA_B, topics.input, 1);
    awaitOutput(KAFKA_B, topics.output, 12);
    cancel(resumed);
  }

  @Test
  void aSavepointOfADeletedAndRecreatedTopicIsRefused(@InjectMiniCluster MiniCluster flink)
      throws Exception {
    Topics topics = new Topics("recreated");
    topics.createOn(KAFKA_A);
    produce(KAFKA_A, topics.input, 5);
    JobClient first = start(KAFKA_A, topics, false, null);
    awaitOutput(KAFKA_A, topics.output, 10);
    String savepoint = stopWithSavepoint(first);
    String idBefore = topicId(KAFKA_A, topics.input);

    recreate(KAFKA_A, topics.input, PARTITIONS);
    String idAfter = topicId(KAFKA_A, topics.input);
    assertThat(idAfter).isNotEqualTo(idBefore);
    produce(KAFKA_A, topics.input, 8);
    long outputBefore = endOffsets(KAFKA_A, topics.output);

    JobClient refused = start(KAFKA_A, topics, false, savepoint);
    String message = refusal(refused, flink);
    assertThat(message)
        .doesNotContain("\n")
        .contains(
            "Kafka cluster " + clusterId(KAFKA_A),
            "topic "
                + topics.input
                + " was deleted and recreated (id "
                + idBefore
                + ", now "
                + idAfter
                + ")",
            SourceIdentityGuard.ALLOW_FOREIGN_STATE_OPTION);
    assertThat(endOffsets(KAFKA_A, topics.output)).isEqualTo(outputBefore);
  }

  /**
   * The real ledger topology (RocksDB, keyed state, exactly-once sink in another task) with the
   * guard after its source: refused on B without a restart, and not one byte (not even a
   * transaction marker) in B's output topics.
   *
   * <p>The sink's task restores A's pending committables at the same time and fails to commit them
   * on B (InvalidPidMappingException, an ordinary retryable failure in connector 5.0.0, see
   * FLINK-39072): in principle that failure could reach the JobManager before the guard's and cost
   * a restart. The guard's task has always failed first here (no keyed state to restore, one admin
   * round trip). With the override those committables are dropped instead (see {@link
   * #theLedgerAdoptsStateOfAnotherClusterWithItsExactlyOnceSink}).
   */
  @Test
  void theLedgerRefusesStateOfAnotherClusterAndWritesNothing(@InjectMiniCluster MiniCluster flink)
      throws Exception {
    LedgerScenario scenario =
        new LedgerScenario(KAFKA_A, "identity", Delivery.EXACTLY_ONCE, state.resolve("ledger"));
    LedgerJobOptions options = scenario.options;
    try (TransactionProducer generator = scenario.generator(400, 4_000)) {
      generator.run();
    }
    JobClient onA = startLedger(options, null);
    String balances = options.topicOptions.balances;
    await()
        .atMost(PROMPTLY)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> endOffsets(KAFKA_A, balances, LedgerScenario.PARTITIONS) > 0);
    String savepoint = stopWithSavepoint(onA);

    ledgerOnB(options, 400, 4_000, 11);
    options.kafka.bootstrapServers(KAFKA_B.bootstrapServers());

    String message = refusal(startLedger(options, savepoint), flink);
    assertThat(message).contains("on Kafka cluster " + clusterId(KAFKA_B), "another Kafka cluster");
    for (String output : options.outputTopics()) {
      assertThat(endOffsets(KAFKA_B, output, LedgerScenario.PARTITIONS)).as(output).isZero();
    }
  }

  /**
   * The real ledger (exactly-once sink, POOLING transactional ids) adopts a savepoint of A that
   * holds pending transactions: taken while the job ran, with no checkpoint completing after it (a
   * savepoint commits nothing), then the job cancelled, so A still has those transactions open.
   *
   * <ul>
   *   <li>On B with the override: A's transactions cannot be committed there (B answers
   *       InvalidPidMappingException); they are dropped with one WARN line per sink subtask instead
   *       of failing the job over for ever. RUNNING without a restart, and B's output is committed:
   *       a read_committed consumer reads it.
   *   <li>On A with the override, from the same savepoint: the pending transactions are A's, they
   *       are committed and nothing is dropped; the audit finds every record exactly once.
   * </ul>
   */
  @Test
  void theLedgerAdoptsStateOfAnotherClusterWithItsExactlyOnceSink(
      @InjectMiniCluster MiniCluster flink) throws Exception {
    LedgerScenario scenario =
        new LedgerScenario(KAFKA_A, "adopt", Delivery.EXACTLY_ONCE, state.resolve("adopt"));
    LedgerJobOptions options = scenario.options;
    String balances = options.topicOptions.balances;
    try (TransactionProducer generator = scenario.generator(400, 4_000)) {
      generator.run();
    }

    // On A: output written into open transactions, a savepoint, no checkpoint after it, cancel.
    JobClient onA = startLedger(options, null, Duration.ofMinutes(5), Duration.ofMinutes(4));
    await()
        .atMost(PROMPTLY)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> endOffsets(KAFKA_A, balances, LedgerScenario.PARTITIONS) > 0);
    String savepoint =
        onA.triggerSavepoint(
                state.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
            .get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
    cancel(onA);
    assertThat(committedRecords(KAFKA_A, balances))
        .as("balances committed on A before the restore: the savepoint's are pending")
        .isZero();

    // More per partition than A had in all, so B's input goes on past A's offsets.
    ledgerOnB(options, 2_000, 20_000, 12);

    options.foreignState.allowForeignState = true;
    try (WarnLines warnings = sinkWarnings()) {
      options.kafka.bootstrapServers(KAFKA_B.bootstrapServers());
      JobClient adopting = startLedger(options, savepoint);
      await()
          .atMost(PROMPTLY)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> committedRecords(KAFKA_B, balances) > 0);
      awaitAllRunning(flink, adopting.getJobID());
      assertThat(restarts(flink, adopting.getJobID())).as("restarts on B").isZero();
      assertThat(dropped(warnings))
          .as("A's pending transactions dropped on B: %s", warnings.lines())
          .isPositive();
      assertThat(warnings.lines())
          .allSatisfy(
              line ->
                  assertThat(line)
                      .contains(
                          SourceIdentityGuard.ALLOW_FOREIGN_STATE_OPTION,
                          "InvalidPidMappingException",
                          options.identity.transactionalIdPrefix));
      cancel(adopting);
    }

    try (WarnLines warnings = sinkWarnings()) {
      options.kafka.bootstrapServers(KAFKA_A.bootstrapServers());
      JobClient backOnA = startLedger(options, savepoint);
      AuditReport report = scenario.audit(PROMPTLY);
      assertThat(report.clean()).as(report.toText()).isTrue();
      assertThat(restarts(flink, backOnA.getJobID())).as("restarts on A").isZero();
      assertThat(warnings.lines()).as("dropped on A").isEmpty();
      cancel(backOnA);
    }
  }

  /** The ledger's topics on B, and {@code count} generated transactions in B's input. */
  private static void ledgerOnB(LedgerJobOptions options, long count, int rate, long seed) {
    for (String topic : options.topics().ledger()) {
      KAFKA_B.createTopic(topic, LedgerScenario.PARTITIONS);
    }
    awaitListed(KAFKA_B, options.topics().ledger());
    GeneratorSettings onB =
        GeneratorSettings.defaults()
            .withTopic(options.topicOptions.transactions)
            .withCount(count)
            .withRate(rate)
            .withAccounts(100)
            .withPartitions(LedgerScenario.PARTITIONS)
            .withSeed(seed);
    try (TransactionProducer generator =
        TransactionProducer.connect(KAFKA_B.bootstrapServers(), onB)) {
      generator.run();
    }
  }

  private JobClient startLedger(LedgerJobOptions options, String savepoint) throws Exception {
    return startLedger(options, savepoint, Duration.ofSeconds(1), null);
  }

  /** The ledger as LedgerJob wires it; {@code minPause} also delays the first checkpoint. */
  private JobClient startLedger(
      LedgerJobOptions options, String savepoint, Duration interval, Duration minPause)
      throws Exception {
    options.runtime.checkpointing.interval = interval;
    Configuration conf = options.runtime.toConfiguration();
    if (minPause != null) {
      conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, minPause);
    }
    if (savepoint != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    LedgerJob.verify(options);
    // The job's own wiring: readTransactions puts the guard after the source.
    DataStream<KafkaInputRecord> transactions = LedgerJob.readTransactions(env, options);
    LedgerJob.writeOutputs(LedgerTopology.build(transactions, options.dedupRetention), options);
    JobClient job =
        env.executeAsync(options.identity.jobName + (savepoint == null ? "" : " (restored)"));
    jobs.add(job);
    return job;
  }

  // ---------------------------------------------------------------------------------------------

  /** Per-test topic names, the same on both clusters. */
  private static final class Topics {
    final String input;
    final String output;

    Topics(String label) {
      input = "identity-" + label + ".input";
      output = "identity-" + label + ".output";
    }

    void createOn(KafkaClusterExtension kafka) {
      kafka.createTopic(input, PARTITIONS);
      kafka.createTopic(output, PARTITIONS);
      awaitListed(kafka, List.of(input, output));
    }
  }

  /** Kafka source, the guard, an at-least-once sink copying every record to the output topic. */
  private JobClient start(
      KafkaClusterExtension kafka, Topics topics, boolean allowForeignState, String savepoint)
      throws Exception {
    RuntimeOptions runtime = LedgerJobOptions.defaults().runtime;
    runtime.parallelism.parallelism = 2;
    runtime.checkpointing.interval = Duration.ofSeconds(1);
    runtime.checkpointDir = state.resolve("checkpoints").toUri().toString();
    Configuration conf = runtime.toConfiguration();
    if (savepoint != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    String servers = kafka.bootstrapServers();
    DataStream<KafkaInputRecord> input =
        env.fromSource(
                KafkaSources.rawRecords(
                    KafkaConnection.to(servers), topics.input, topics.input + "-group"),
                WatermarkStrategy.noWatermarks(),
                "Kafka: " + topics.input)
            .uid("source");
    String output = topics.output;
    SourceIdentityGuard.guard(
            input, KafkaConnection.to(servers), List.of(topics.input), allowForeignState)
        .uid("kafka-identity")
        .map(record -> new OutboundRecord(output, record.key, record.value))
        .returns(TypeInformation.of(OutboundRecord.class))
        .name("Copy")
        .sinkTo(
            KafkaSinks.outbound(
                KafkaConnection.to(servers),
                List.of(output),
                DeliveryGuarantee.AT_LEAST_ONCE,
                "identity-it",
                Duration.ofMinutes(5),
                Map.of()))
        .uid("sink")
        .name("Kafka: " + output);
    JobClient job = env.executeAsync(topics.input + (savepoint == null ? "" : " (restored)"));
    jobs.add(job);
    return job;
  }

  /** Waits for the job to fail; checks it failed for good, and returns the guard's message. */
  private static String refusal(JobClient job, MiniCluster flink) throws Exception {
    Throwable failure =
        catchThrowable(
            () -> job.getJobExecutionResult().get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
    assertThat(failure).as("the job should have failed").isInstanceOf(ExecutionException.class);
    assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.FAILED);
    assertThat(restarts(flink, job.getJobID())).as("restarts").isZero();
    assertThat(find(failure, SuppressRestartsException.class)).isPresent();
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    assertThat(root).isInstanceOf(ForeignKafkaStateException.class);
    return root.getMessage();
  }

  /** The highest attempt number of any task: 0 when the job never restarted. */
  private static int restarts(MiniCluster flink, JobID job) throws Exception {
    AccessExecutionGraph graph = flink.getExecutionGraph(job).get();
    int highest = 0;
    for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
      highest = Math.max(highest, vertex.getCurrentExecutionAttempt().getAttemptNumber());
    }
    return highest;
  }

  private static void awaitAllRunning(MiniCluster flink, JobID job) {
    await()
        .atMost(PROMPTLY)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              AccessExecutionGraph graph = flink.getExecutionGraph(job).get();
              for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
                if (vertex.getExecutionState() != ExecutionState.RUNNING) {
                  return false;
                }
              }
              return true;
            });
  }

  private String stopWithSavepoint(JobClient job) throws Exception {
    return job.stopWithSavepoint(
            false, state.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
        .get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
  }

  private static void cancel(JobClient job) throws Exception {
    job.cancel().get();
    await().atMost(PROMPTLY).until(() -> job.getJobStatus().get().isGloballyTerminalState());
  }

  /** {@code perPartition} records into each partition of {@code topic}. */
  private static void produce(KafkaClusterExtension kafka, String topic, int perPartition) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int partition = 0; partition < PARTITIONS; partition++) {
        for (int i = 0; i < perPartition; i++) {
          byte[] value = (partition + "-" + i).getBytes(StandardCharsets.UTF_8);
          producer.send(new ProducerRecord<>(topic, partition, null, value));
        }
      }
      producer.flush();
    }
  }

  private static void awaitOutput(KafkaClusterExtension kafka, String topic, long records) {
    await()
        .atMost(PROMPTLY)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> endOffsets(kafka, topic) >= records);
  }

  private static long endOffsets(KafkaClusterExtension kafka, String topic) throws Exception {
    return endOffsets(kafka, topic, PARTITIONS);
  }

  private static long endOffsets(KafkaClusterExtension kafka, String topic, int partitions)
      throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int partition = 0; partition < partitions; partition++) {
      latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
    }
    return kafka.admin().listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
        .mapToLong(info -> info.offset())
        .sum();
  }

  /** The records of {@code topic} a read_committed consumer reads (all partitions). */
  private static long committedRecords(KafkaClusterExtension kafka, String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int partition = 0; partition < LedgerScenario.PARTITIONS; partition++) {
        partitions.add(new TopicPartition(topic, partition));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // For read_committed the end offsets are the last stable offsets.
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      long records = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " up to " + ends);
        }
        records += consumer.poll(Duration.ofMillis(200)).count();
      }
      return records;
    }
  }

  /** The WARN lines of {@link ExactlyOnceKafkaSink} about foreign state, while open. */
  private static WarnLines sinkWarnings() {
    return new WarnLines(ExactlyOnceKafkaSink.class.getName(), "ADOPTING FOREIGN STATE");
  }

  private static final Pattern DROPPED = Pattern.compile("dropped (\\d+) pending");

  /** The transactions the sink's lines say were dropped. */
  private static long dropped(WarnLines warnings) {
    long dropped = 0;
    for (String line : warnings.lines()) {
      Matcher matcher = DROPPED.matcher(line);
      if (matcher.find()) {
        dropped += Long.parseLong(matcher.group(1));
      }
    }
    return dropped;
  }

  /** Creation is acknowledged before every broker's metadata shows a topic. */
  private static void awaitListed(KafkaClusterExtension kafka, List<String> topics) {
    await()
        .atMost(PROMPTLY)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> kafka.admin().listTopics().names().get().containsAll(topics));
  }

  private static String clusterId(KafkaClusterExtension kafka) throws Exception {
    return kafka.admin().describeCluster().clusterId().get(10, TimeUnit.SECONDS);
  }

  private static String topicId(KafkaClusterExtension kafka, String topic) throws Exception {
    TopicDescription description =
        kafka
            .admin()
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(10, TimeUnit.SECONDS)
            .get(topic);
    return description.topicId().toString();
  }

  /** Deletes {@code topic} and creates it again (Kafka may still be deleting it for a moment). */
  private static void recreate(KafkaClusterExtension kafka, String topic, int partitions)
      throws Exception {
    Admin admin = kafka.admin();
    admin.deleteTopics(List.of(topic)).all().get(10, TimeUnit.SECONDS);
    await()
        .atMost(PROMPTLY)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsMatching(
            e -> e instanceof IllegalStateException && e.getCause() instanceof TopicExistsException)
        .until(
            () -> {
              kafka.createTopic(topic, partitions);
              return true;
            });
    awaitListed(kafka, List.of(topic));
  }

  private static <E extends Throwable> Optional<E> find(Throwable failure, Class<E> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }
}
