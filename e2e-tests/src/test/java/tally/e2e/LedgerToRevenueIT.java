package tally.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tally.connectors.kafka.KafkaInputRecord;
import tally.jobs.common.Delivery;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerTopology;
import tally.jobs.revenue.RevenueJob;
import tally.jobs.revenue.RevenueJobOptions;
import tally.jobs.revenue.RevenueTopology;
import tally.kafka.local.KafkaClusterExtension;
import tally.testkit.LedgerScenario;
import tally.testkit.audit.AuditReport;
import tally.testkit.audit.ConsumerGroupLag;
import tally.testkit.audit.RevenueAudit;
import tally.testkit.audit.RevenueComparison.RevenueCounts;
import tally.testkit.failure.FailureInjector;
import tally.testkit.generate.TransactionProducer;

/**
 * Ledger → revenue, both exactly-once, both failing mid-stream: the revenue job reads the ledger's
 * committed output, and every merchant debit ends up counted once, in its window or as late, while
 * the ledger's own audit stays clean.
 */
class LedgerToRevenueIT {
  @RegisterExtension static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(4)
              .build());

  @TempDir Path state;

  @Test
  void bothJobsFailRepeatedlyAndEveryDebitIsCountedOnce() throws Exception {
    LedgerScenario ledger =
        new LedgerScenario(KAFKA, "chain", Delivery.EXACTLY_ONCE, state.resolve("ledger"));
    RevenueJobOptions revenue = revenueOptions(ledger);

    StreamExecutionEnvironment ledgerEnv =
        StreamExecutionEnvironment.getExecutionEnvironment(
            ledger.options.runtime.toConfiguration());
    LedgerJob.verify(ledger.options);
    DataStream<KafkaInputRecord> transactions =
        LedgerJob.readTransactions(ledgerEnv, ledger.options)
            .map(FailureInjector.<KafkaInputRecord>afterCheckpoint(ledger.name + "-ledger", 2, 200))
            .uid("failures");
    LedgerJob.writeOutputs(
        LedgerTopology.build(transactions, ledger.options.dedupRetention), ledger.options);

    StreamExecutionEnvironment revenueEnv =
        StreamExecutionEnvironment.getExecutionEnvironment(revenue.runtime.toConfiguration());
    RevenueJob.verify(revenue);
    DataStream<KafkaInputRecord> balances =
        RevenueJob.readBalances(revenueEnv, revenue)
            .map(
                FailureInjector.<KafkaInputRecord>afterCheckpoint(ledger.name + "-revenue", 2, 100))
            .uid("failures");
    RevenueJob.writeOutputs(RevenueTopology.build(balances, revenue.windows.window), revenue);

    JobClient ledgerJob = ledgerEnv.executeAsync("ledger-" + ledger.name);
    JobClient revenueJob = revenueEnv.executeAsync("revenue-" + ledger.name);
    try (TransactionProducer generator = ledger.generator(12_000, 1_200)) {
      generator.run();
      AuditReport ledgerReport = ledger.audit(Duration.ofMinutes(2));
      assertThat(ledgerReport.clean()).as(ledgerReport.toText()).isTrue();

      try (ConsumerGroupLag lag = new ConsumerGroupLag(KAFKA.bootstrapServers())) {
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> lag.unread(revenue.identity.groupId, revenue.topicOptions.balances) == 0);
      }
      RevenueCounts counts =
          new RevenueAudit(
                  RevenueAudit.Settings.defaults(KAFKA.bootstrapServers())
                      .withTopics(revenue.topics())
                      .withWindowing(revenue.windows.window, revenue.windows.outOfOrderness)
                      .withTimeout(Duration.ofMinutes(1)))
              .run();
      assertThat(counts.clean()).as(counts.toText()).isTrue();
      assertThat(counts.expectedWindows()).isGreaterThan(10);
      // Only the newest windows, which no watermark has closed yet, may still be open.
      assertThat(counts.pending()).as(counts.toText()).isLessThan(counts.expectedWindows() / 10);
      assertThat(FailureInjector.failures(ledger.name + "-ledger")).isEqualTo(2);
      assertThat(FailureInjector.failures(ledger.name + "-revenue")).isEqualTo(2);
    } finally {
      ledgerJob.cancel().get();
      revenueJob.cancel().get();
    }
  }

  private static RevenueJobOptions revenueOptions(LedgerScenario ledger) {
    RevenueJobOptions revenue = RevenueJobOptions.defaults();
    revenue.kafka.bootstrapServers(KAFKA.bootstrapServers());
    revenue.topicOptions.set(
        ledger.options.topics()); // <scenario>.balances, <scenario>.merchant-revenue, ...
    revenue.identity.groupId = ledger.name + "-revenue";
    revenue.identity.transactionalIdPrefix = ledger.name + "-revenue";
    revenue.windows.window = Duration.ofSeconds(30); // generated event time runs 100 ms per record
    revenue.windows.outOfOrderness = Duration.ofSeconds(2);
    revenue.windows.idleness = Duration.ofSeconds(5);
    revenue.runtime.parallelism.parallelism = 2;
    revenue.runtime.checkpointDir = ledger.options.runtime.checkpointDir;
    for (String topic : revenue.outputTopics()) {
      KAFKA.createTopic(topic, LedgerScenario.PARTITIONS);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> KAFKA.admin().listTopics().names().get().containsAll(revenue.outputTopics()));
    return revenue;
  }
}
