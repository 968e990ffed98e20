package tally.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tally.connectors.avro.SchemaCatalog;
import tally.jobs.common.Delivery;
import tally.jobs.ledger.LedgerFunction;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerTopology;
import tally.kafka.local.KafkaClusterExtension;
import tally.schemas.state.AccountState;
import tally.testkit.LedgerScenario;
import tally.testkit.audit.AuditReport;
import tally.testkit.generate.GeneratedRecord;
import tally.testkit.generate.GeneratorSettings;
import tally.testkit.generate.TransactionGenerator;

/**
 * An upgrade for real: the ledger runs with the previous release's state schema (AccountState v1),
 * stops with a savepoint, and the current release (AccountState v2) resumes from it on the same
 * topics. The audit over the whole input proves balances, seq and dedup carried over.
 */
class LedgerStateUpgradeIT {
  @RegisterExtension static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir Path state;

  @Test
  void theCurrentReleaseResumesFromASavepointOfThePreviousStateSchema() throws Exception {
    LedgerScenario scenario =
        new LedgerScenario(KAFKA, "upgrade", Delivery.EXACTLY_ONCE, state.resolve("checkpoints"));
    TransactionGenerator input =
        new TransactionGenerator(
            GeneratorSettings.defaults()
                .withCount(10_000)
                .withAccounts(500)
                .withDuplicateRatio(0.02)
                .withInvalidRatio(0.005)
                .withSeed(7));

    // The previous release: account state written with schema v1.
    StreamExecutionEnvironment previous =
        StreamExecutionEnvironment.getExecutionEnvironment(
            scenario.options.runtime.toConfiguration());
    LedgerJob.verify(scenario.options);
    LedgerJob.writeOutputs(
        LedgerTopology.build(
            LedgerJob.readTransactions(previous, scenario.options),
            new PreviousReleaseLedger(scenario.options.dedupRetention)),
        scenario.options);
    JobClient previousJob = previous.executeAsync("ledger-previous-release");
    produce(input, 5_000, scenario.options.topicOptions.transactions);
    AuditReport before = scenario.audit(Duration.ofMinutes(2));
    assertThat(before.clean()).as(before.toText()).isTrue();
    String savepoint =
        previousJob
            .stopWithSavepoint(
                false,
                state.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL)
            .get();

    // The current release resumes from it.
    Configuration conf = scenario.options.runtime.toConfiguration();
    conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    StreamExecutionEnvironment current = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    LedgerJob.define(current, scenario.options);
    JobClient currentJob = current.executeAsync("ledger-current-release");
    try {
      produce(input, 5_000, scenario.options.topicOptions.transactions);
      AuditReport after = scenario.audit(Duration.ofMinutes(2));
      assertThat(after.clean()).as(after.toText()).isTrue();
      assertThat(after.inputRecords()).isEqualTo(10_000);
    } finally {
      currentJob.cancel().get();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> currentJob.getJobStatus().get().isGloballyTerminalState());
    }
  }

  private static void produce(Iterator<GeneratedRecord> input, int count, String topic) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < count && input.hasNext(); i++) {
        GeneratedRecord record = input.next();
        producer.send(
            new ProducerRecord<>(
                topic, record.key().getBytes(StandardCharsets.UTF_8), record.value()));
      }
    }
  }

  /**
   * Flink's Avro serializer of the generated class, reading and writing with {@code schema} and
   * recording it in its snapshot: byte for byte what a release compiled against that schema wrote.
   * Flink's public constructors take the class's own schema, so this one (package-private, the one
   * Flink itself uses for that case) is reached by reflection rather than by a class placed in
   * Flink's package.
   */
  @SuppressWarnings("unchecked")
  static AvroSerializer<AccountState> earlierSchemaSerializer(Schema schema) {
    try {
      Class<?> serializableSchema =
          Class.forName("org.apache.flink.formats.avro.typeutils.SerializableAvroSchema");
      var wrap = serializableSchema.getDeclaredConstructor(Schema.class);
      wrap.setAccessible(true);
      Object wrapped = wrap.newInstance(schema);
      var create =
          AvroSerializer.class.getDeclaredConstructor(
              Class.class, serializableSchema, serializableSchema);
      create.setAccessible(true);
      return (AvroSerializer<AccountState>)
          create.newInstance(AccountState.class, wrapped, wrapped);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "Flink's AvroSerializer changed: no (Class, schema, schema) constructor", e);
    }
  }

  /** The previous release's rules: the same function, its account state written with schema v1. */
  private static final class PreviousReleaseLedger extends LedgerFunction {
    private static final long serialVersionUID = 1L;

    PreviousReleaseLedger(Duration dedupRetention) {
      super(dedupRetention);
    }

    @Override
    protected ValueStateDescriptor<AccountState> accountStateDescriptorForThisRelease() {
      Schema v1 = SchemaCatalog.versionsOf("AccountState").get(0);
      return new ValueStateDescriptor<>("account", earlierSchemaSerializer(v1));
    }
  }
}
