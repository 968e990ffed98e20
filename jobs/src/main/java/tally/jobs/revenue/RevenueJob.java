package tally.jobs.revenue;

import java.util.List;
import java.util.Map;
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
import tally.schemas.MerchantRevenue;

/**
 * The revenue job wired to Kafka: balance updates in; window totals, late debits, dead letters out.
 */
public final class RevenueJob {
  private static final Logger LOG = LoggerFactory.getLogger(RevenueJob.class);

  public static final String NAME = "tally-revenue";
  public static final String SOURCE_UID = "revenue-balances-source";
  public static final String SINK_UID = "revenue-kafka-sink";
  public static final String IDENTITY_UID = "revenue-kafka-identity";

  private RevenueJob() {}

  /** Entry point for `flink run <jar> revenue [options]`. */
  public static void main(String[] args) throws Exception {
    RevenueJobOptions options = JobCommandLine.parse(RevenueJobOptions.defaults(), args);
    if (options == null) {
      return;
    }
    // The cluster's configuration; the job adds only what its options and safe defaults say.
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    define(env, options);
    env.execute(options.identity.jobName);
  }

  /**
   * Applies the options on top of {@code env}'s configuration (the cluster's), checks the effective
   * settings and Kafka, then adds the whole job to {@code env}.
   */
  public static void define(StreamExecutionEnvironment env, RevenueJobOptions options) {
    verify(options, options.runtime.configure(env));
    build(env, options);
  }

  /** As {@link #define} for a caller that has run {@link #verify} already (see LedgerJob's). */
  public static void defineVerified(StreamExecutionEnvironment env, RevenueJobOptions options) {
    options.runtime.configure(env);
    build(env, options);
  }

  private static void build(StreamExecutionEnvironment env, RevenueJobOptions options) {
    writeOutputs(
        RevenueTopology.build(readBalances(env, options), options.windows.window), options);
  }

  /**
   * The checks of the settings the job would run with on a cluster configured as {@code cluster}.
   */
  public static void verify(RevenueJobOptions options, ReadableConfig cluster) {
    verify(options, options.runtime.effective(cluster));
  }

  /** As above on a cluster that sets nothing (tests on {@code runtime.toConfiguration()}). */
  public static void verify(RevenueJobOptions options) {
    verify(options, new Configuration());
  }

  public static void verify(RevenueJobOptions options, FlinkSettings flink) {
    StartupChecks.verify(
        new StartupChecks.Settings(
            options.kafka.connection(),
            List.of(options.topicOptions.balances),
            options.outputTopics(),
            options.runtime.delivery.guarantee(),
            flink,
            options.runtime.transactionTimeout,
            options.identity.groupId,
            options.identity.transactionalIdPrefix));
  }

  /**
   * The balance updates, after the same check as the ledger's that restored state is this Kafka's.
   */
  public static DataStream<KafkaInputRecord> readBalances(
      StreamExecutionEnvironment env, RevenueJobOptions options) {
    DataStream<KafkaInputRecord> source =
        env.fromSource(
                KafkaSources.rawRecords(
                    options.kafka.connection(),
                    options.topicOptions.balances,
                    options.identity.groupId),
                RevenueTopology.watermarks(
                    options.windows.outOfOrderness, options.windows.idleness),
                "Kafka: " + options.topicOptions.balances)
            .uid(SOURCE_UID);
    return SourceIdentityGuard.guard(
            source,
            options.kafka.connection(),
            List.of(options.topicOptions.balances),
            options.foreignState.allowForeignState)
        .uid(IDENTITY_UID);
  }

  public static void writeOutputs(RevenueOutputs outputs, RevenueJobOptions options) {
    DataStream<OutboundRecord> windows =
        outputs
            .windows()
            .map(
                new AvroToOutbound<>(
                    options.topicOptions.merchantRevenue,
                    AvroSingleObjectSerde.forType(MerchantRevenue.class),
                    MerchantRevenue::getMerchantId))
            .name("Encode window totals");
    DataStream<OutboundRecord> late =
        outputs
            .lateDebits()
            .map(
                new AvroToOutbound<>(
                    options.topicOptions.revenueLate,
                    AvroSingleObjectSerde.forType(BalanceUpdate.class),
                    RevenueJob::merchantOf))
            .name("Encode late debits");
    String dlqTopic = options.topicOptions.revenueDlq;
    DataStream<OutboundRecord> deadLetters =
        outputs
            .deadLetters()
            .map(letter -> letter.toOutbound(dlqTopic))
            .name("Encode dead letters");

    windows
        .union(late, deadLetters)
        .sinkTo(
            KafkaSinks.outbound(
                options.kafka.connection(),
                options.outputTopics(),
                options.runtime.delivery.guarantee(),
                options.identity.transactionalIdPrefix,
                // Write time, not event time: see OutboundRecordSerializer.Timestamps.
                options.runtime.transactionTimeout,
                Map.of(),
                OutboundRecordSerializer.Timestamps.WRITE_TIME,
                options.foreignState.allowForeignState))
        .uid(SINK_UID)
        .name("Kafka: " + String.join(", ", options.outputTopics()));
    LOG.info(
        "Revenue job defined: {} -> {} ({} windows, {} delivery)",
        options.topicOptions.balances,
        options.outputTopics(),
        options.windows.window,
        options.runtime.delivery);
  }

  private static String merchantOf(BalanceUpdate debit) {
    return debit.getMerchantId();
  }
}
