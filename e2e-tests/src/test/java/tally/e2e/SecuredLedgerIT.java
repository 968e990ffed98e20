package tally.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.connectors.kafka.KafkaClientProperties;
import tally.connectors.kafka.KafkaClientProperties.ClientKind;
import tally.connectors.kafka.KafkaConnection;
import tally.connectors.kafka.KafkaInputRecord;
import tally.jobs.common.Delivery;
import tally.jobs.common.Topics;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerTopology;
import tally.kafka.local.BrokerSecurity;
import tally.kafka.local.KafkaClusterExtension;
import tally.kafka.local.KafkaClusterOptions;
import tally.testkit.LedgerScenario;
import tally.testkit.acl.LeastPrivilegeAcls;
import tally.testkit.acl.LeastPrivilegeAcls.JobIdentity;
import tally.testkit.audit.AuditException;
import tally.testkit.audit.AuditReport;
import tally.testkit.audit.AuditSettings;
import tally.testkit.audit.LedgerAudit;
import tally.testkit.failure.FailureInjector;
import tally.testkit.generate.TransactionProducer;

/**
 * The exactly-once ledger of {@link LedgerExactlyOnceIT} once more, on a secured broker
 * (SASL_SSL/SCRAM-SHA-512, ACLs deny by default): the job runs as the ledger principal with only
 * the ACLs of {@link LeastPrivilegeAcls} (so the sink's recovery after each injected failure, which
 * lists and aborts lingering transactions, must manage with them too), the generator and the audit
 * as their own principals.
 */
class SecuredLedgerIT {
  private static final Logger LOG = LoggerFactory.getLogger(SecuredLedgerIT.class);
  private static final Duration AUDIT_TIMEOUT = Duration.ofMinutes(2);

  @RegisterExtension
  static final KafkaClusterExtension KAFKA =
      new KafkaClusterExtension(
          KafkaClusterOptions.builder().security(BrokerSecurity.SASL_SSL_SCRAM).build());

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir Path checkpoints;

  private static KafkaConnection as(String principal) {
    return new KafkaConnection(
        KAFKA.bootstrapServers(),
        KafkaClientProperties.load(KAFKA.cluster().clientPropertiesFile(principal), List.of()));
  }

  private LedgerScenario leastPrivilegeScenario(String label) {
    LedgerScenario scenario =
        new LedgerScenario(
            KAFKA,
            label,
            Delivery.EXACTLY_ONCE,
            checkpoints,
            as("ledger"),
            as("generator"),
            as("auditor"));
    Topics topics = scenario.options.topics();
    LeastPrivilegeAcls.apply(
        KAFKA.admin(),
        LeastPrivilegeAcls.ledgerJob(
            "ledger",
            topics,
            new JobIdentity(
                scenario.options.identity.groupId,
                scenario.options.identity.transactionalIdPrefix)));
    LeastPrivilegeAcls.apply(KAFKA.admin(), LeastPrivilegeAcls.generator("generator", topics));
    LeastPrivilegeAcls.apply(KAFKA.admin(), LeastPrivilegeAcls.auditor("auditor", topics));
    return scenario;
  }

  @Test
  void repeatedFailuresWithOnlyTheLeastPrivilegeAclsLoseAndDuplicateNothing() throws Exception {
    LedgerScenario scenario = leastPrivilegeScenario("secured");
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            scenario.options.runtime.toConfiguration());
    LedgerJob.verify(scenario.options); // the start-up checks pass with exactly these ACLs
    DataStream<KafkaInputRecord> input =
        LedgerJob.readTransactions(env, scenario.options)
            .map(FailureInjector.<KafkaInputRecord>afterCheckpoint(scenario.name, 3, 200))
            .uid("failure-injector")
            .name("Inject failures");
    LedgerJob.writeOutputs(
        LedgerTopology.build(input, scenario.options.dedupRetention), scenario.options);

    JobClient job = env.executeAsync(scenario.name);
    AuditReport report;
    // Fed until the third recovery has happened, then for a little longer.
    try (TransactionProducer generator = scenario.generator(0, 1_000)) {
      Thread feeding = new Thread(generator::run, "generator-" + scenario.name);
      feeding.start();
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> FailureInjector.failures(scenario.name) >= 3);
      long atLastFailure = generator.sent();
      await().atMost(Duration.ofSeconds(30)).until(() -> generator.sent() > atLastFailure + 1_000);
      generator.stop();
      feeding.join(30_000);
      LOG.info("{}: generated {} records as User:generator", scenario.name, generator.sent());
      report = scenario.audit(AUDIT_TIMEOUT);
      LOG.info("{} (audited as User:auditor):\n{}", scenario.name, report.toText());
    } finally {
      job.cancel().get();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> job.getJobStatus().get().isGloballyTerminalState());
    }

    assertThat(FailureInjector.failures(scenario.name)).isEqualTo(3);
    assertThat(report.clean()).as(report.toText()).isTrue();
    assertThat(report.outputs()).allSatisfy(output -> assertThat(output.expected()).isPositive());
  }

  @Test
  void aPrincipalReadingATopicItHasNoAclForIsRefused() {
    LedgerScenario scenario = leastPrivilegeScenario("refused");
    Topics topics = scenario.options.topics();

    // The generator may write the transactions, not read the balances.
    try (KafkaConsumer<byte[], byte[]> generatorReading =
        new KafkaConsumer<>(
            as("generator")
                .config(
                    ClientKind.TOOL_CONSUMER,
                    Map.of(
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        10_000)),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      generatorReading.assign(List.of(new TopicPartition(topics.balances(), 0)));
      assertThatThrownBy(() -> generatorReading.poll(Duration.ofSeconds(10)))
          .isInstanceOf(TopicAuthorizationException.class)
          .hasMessageContaining(topics.balances());
    }

    // The auditor of other topics: refused by name, not "nothing expected, clean".
    Topics other = Topics.underPrefix(scenario.name + "-other");
    KAFKA.createTopic(other.transactions(), 1);
    assertThatThrownBy(
            () ->
                new LedgerAudit(
                        AuditSettings.defaults(as("auditor"))
                            .withTopics(other)
                            .withTimeout(Duration.ofSeconds(5)))
                    .run())
        .isInstanceOf(AuditException.class)
        .hasMessageContaining("denied access to topics [" + other.transactions() + "]");
  }
}
