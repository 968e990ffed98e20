package tally.jobs.ledger;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.kafka.AvroToOutbound;
import tally.connectors.kafka.KafkaInputRecord;
import tally.connectors.kafka.KafkaSinks;
import tally.connectors.kafka.KafkaSources;
import tally.connectors.kafka.OutboundRecord;
import tally.connectors.kafka.OutboundRecordSerializer;
import tally.connectors.kafka.SourceIdentityGuard;
import tally.connectors.preflight.FlinkSettings;
import tally.connectors.preflight.StartupChecks;
import tally.jobs.common.JobCommandLine;
import tally.schemas.BalanceUpdate;
import tally.schemas.OverdraftAlert;

/**
 * The ledger job wired to Kafka: transactions in; balances, alerts and dead letters out through one
 * exactly-once sink, so all of a checkpoint's output commits together.
 */
public final class LedgerJob {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerJob.class);

  public static final String NAME = "tally-ledger";
  public static final String SOURCE_UID = "ledger-transactions-source";
  public static final String SINK_UID = "ledger-kafka-sink";
  public static final String IDENTITY_UID = "ledger-kafka-identity";

  private LedgerJob() {}

  /** Entry point for `flink run <jar> ledger [options]`. */
  public static void main(String[] args) throws Exception {
    LedgerJobOptions options = JobCommandLine.parse(LedgerJobOptions.defaults(), args);
    if (options == null) {
      return; // --help was printed
    }
    // The cluster's configuration (config.yaml, -D of flink run, an operator's
    // flinkConfiguration): the job adds only what its options and safe defaults say.
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    define(env, options);
    env.execute(options.identity.jobName);
  }

  /**
   * Applies the options on top of {@code env}'s configuration (the cluster's), checks the effective
   * settings and Kafka, then adds the whole job to {@code env}.
   */
  public static void define(StreamExecutionEnvironment env, LedgerJobOptions options) {
    verify(options, options.runtime.configure(env));
    build(env, options);
  }

  /**
   * As {@link #define} for a caller that has run {@link #verify} against the same cluster
   * configuration already (bin/tally run checks before it starts the MiniCluster): the checks
   * connect to Kafka, so they run once.
   */
  public static void defineVerified(StreamExecutionEnvironment env, LedgerJobOptions options) {
    options.runtime.configure(env);
    build(env, options);
  }

  private static void build(StreamExecutionEnvironment env, LedgerJobOptions options) {
    LedgerOutputs outputs =
        LedgerTopology.build(readTransactions(env, options), options.dedupRetention);
    writeOutputs(outputs, options);
  }

  /**
   * Refuses to start on a misconfiguration, with a message that says what to change: the settings
   * the job would run with on a cluster configured as {@code cluster}.
   */
  public static void verify(LedgerJobOptions options, ReadableConfig cluster) {
    verify(options, options.runtime.effective(cluster));
  }

  /**
   * As {@link #verify(LedgerJobOptions, ReadableConfig)} on a cluster that sets nothing, the way an
   * environment built from {@code options.runtime.toConfiguration()} runs (tests).
   */
  public static void verify(LedgerJobOptions options) {
    verify(options, new Configuration());
  }

  /** Refuses to start when {@code flink}, the effective Flink settings, or Kafka are unsafe. */
  public static void verify(LedgerJobOptions options, FlinkSettings flink) {
    StartupChecks.verify(
        new StartupChecks.Settings(
            options.kafka.connection(),
            java.util.List.of(options.topicOptions.transactions),
            options.outputTopics(),
            options.runtime.delivery.guarantee(),
            flink,
            options.runtime.transactionTimeout,
            options.identity.groupId,
            options.identity.transactionalIdPrefix));
  }

  /**
   * The transactions, after a check that restored state was taken against this Kafka cluster and
   * this incarnation of the topic (refused otherwise, unless --allow-foreign-state).
   */
  public static DataStream<KafkaInputRecord> readTransactions(
      StreamExecutionEnvironment env, LedgerJobOptions options) {
    DataStream<KafkaInputRecord> source =
        env.fromSource(
                KafkaSources.rawRecords(
                    options.kafka.connection(),
                    options.topicOptions.transactions,
                    options.identity.groupId),
                WatermarkStrategy.noWatermarks(),
                "Kafka: " + options.topicOptions.transactions)
            .uid(SOURCE_UID);
    return SourceIdentityGuard.guard(
            source,
            options.kafka.connection(),
            List.of(options.topicOptions.transactions),
            options.foreignState.allowForeignState)
        .uid(IDENTITY_UID);
  }

  public static void writeOutputs(LedgerOutputs outputs, LedgerJobOptions options) {
    writeOutputs(outputs, options, Map.of());
  }

  /**
   * As above, with producer properties that override the sink's (benchmarks compare producer
   * settings).
   */
  public static void writeOutputs(
      LedgerOutputs outputs, LedgerJobOptions options, Map<String, String> producerOverrides) {
    DataStream<OutboundRecord> balances =
        outputs
            .balances()
            .map(
                new AvroToOutbound<>(
                    options.topicOptions.balances,
                    AvroSingleObjectSerde.forType(BalanceUpdate.class),
                    BalanceUpdate::getAccountId))
            .name("Encode balance updates");
    DataStream<OutboundRecord> alerts =
        outputs
            .alerts()
            .map(
                new AvroToOutbound<>(
                    options.topicOptions.alerts,
                    AvroSingleObjectSerde.forType(OverdraftAlert.class),
                    OverdraftAlert::getAccountId))
            .name("Encode overdraft alerts");
    String dlqTopic = options.topicOptions.dlq;
    DataStream<OutboundRecord> deadLetters =
        outputs
            .deadLetters()
            .map(letter -> letter.toOutbound(dlqTopic))
            .name("Encode dead letters");

    balances
        .union(alerts, deadLetters)
        .sinkTo(
            KafkaSinks.outbound(
                options.kafka.connection(),
                options.outputTopics(),
                options.runtime.delivery.guarantee(),
                options.identity.transactionalIdPrefix,
                options.runtime.transactionTimeout,
                producerOverrides,
                OutboundRecordSerializer.Timestamps.FROM_RECORD,
                options.foreignState.allowForeignState))
        .uid(SINK_UID)
        .name("Kafka: " + String.join(", ", options.outputTopics()));
    LOG.info(
        "Ledger job defined: {} -> {} ({} delivery)",
        options.topicOptions.transactions,
        options.outputTopics(),
        options.runtime.delivery);
  }
}
