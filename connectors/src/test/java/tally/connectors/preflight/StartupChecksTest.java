package tally.connectors.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;
import tally.connectors.kafka.KafkaClientProperties;
import tally.connectors.kafka.KafkaConnection;

/** The checks that need no broker; the Kafka-facing ones run against a real broker in tooling. */
class StartupChecksTest {

  private static StartupChecks.Settings settings(
      DeliveryGuarantee guarantee, Duration interval, Duration transactionTimeout) {
    return new StartupChecks.Settings(
        KafkaConnection.to("localhost:1"),
        List.of("in"),
        List.of("out"),
        guarantee,
        interval,
        Duration.ofMinutes(2),
        Duration.ofSeconds(10),
        transactionTimeout);
  }

  @Test
  void defaultsPass() {
    assertThat(
            StartupChecks.checkTimings(
                settings(
                    DeliveryGuarantee.EXACTLY_ONCE, Duration.ofSeconds(1), Duration.ofMinutes(15))))
        .isEmpty();
  }

  @Test
  void exactlyOnceWithoutCheckpointingIsRefused() {
    assertThat(
            StartupChecks.checkTimings(
                settings(DeliveryGuarantee.EXACTLY_ONCE, Duration.ZERO, Duration.ofMinutes(15))))
        .singleElement()
        .asString()
        .contains("checkpointing is off (--checkpoint-interval 0s)")
        .contains("pass a positive --checkpoint-interval");
  }

  private static StartupChecks.Settings withFlink(FlinkSettings flink) {
    return new StartupChecks.Settings(
        KafkaConnection.to("localhost:1"),
        List.of("in"),
        List.of("out"),
        DeliveryGuarantee.EXACTLY_ONCE,
        flink,
        Duration.ofMinutes(15));
  }

  private static final FlinkSettings DEFAULTS =
      FlinkSettings.ofOptions(Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(10));

  @Test
  void checkpointingLeftOffByTheClusterIsRefusedSayingWhatToSet() {
    FlinkSettings off =
        new FlinkSettings(
            new FlinkSettings.Setting<>(
                "execution.checkpointing.interval",
                null,
                FlinkSettings.Origin.FLINK_DEFAULT,
                "--checkpoint-interval"),
            DEFAULTS.checkpointTimeout(),
            DEFAULTS.maxRestartBackoff(),
            DEFAULTS.checkpointRetention(),
            DEFAULTS.checkpointStorage());
    assertThat(StartupChecks.checkTimings(withFlink(off)))
        .singleElement()
        .asString()
        .startsWith(
            "checkpointing is off in the cluster configuration (execution.checkpointing.interval"
                + " unset): exactly-once output would never commit; set"
                + " execution.checkpointing.interval in config.yaml or pass"
                + " --checkpoint-interval");
  }

  @Test
  void checkpointsThatDoNotOutliveTheJobAreRefused() {
    FlinkSettings notRetained =
        new FlinkSettings(
            DEFAULTS.checkpointInterval(),
            DEFAULTS.checkpointTimeout(),
            DEFAULTS.maxRestartBackoff(),
            new FlinkSettings.Setting<>(
                "execution.checkpointing.externalized-checkpoint-retention",
                ExternalizedCheckpointRetention.NO_EXTERNALIZED_CHECKPOINTS,
                FlinkSettings.Origin.CLUSTER,
                null),
            new FlinkSettings.Setting<>(
                "execution.checkpointing.dir",
                null,
                FlinkSettings.Origin.FLINK_DEFAULT,
                "--checkpoint-dir"));
    assertThat(StartupChecks.checkRetainedCheckpoints(withFlink(notRetained)))
        .satisfiesExactly(
            retention ->
                assertThat(retention)
                    .contains("checkpoints are not retained")
                    .endsWith(
                        "set execution.checkpointing.externalized-checkpoint-retention:"
                            + " RETAIN_ON_CANCELLATION in config.yaml"),
            storage ->
                assertThat(storage)
                    .contains("only in the JobManager's memory (execution.checkpointing.dir unset)")
                    .contains(
                        "set execution.checkpointing.dir in config.yaml or pass --checkpoint-dir"));
    assertThat(StartupChecks.checkRetainedCheckpoints(withFlink(DEFAULTS))).isEmpty();
  }

  @Test
  void retentionIsNotJudgedWithoutExactlyOnce() {
    FlinkSettings notRetained =
        new FlinkSettings(
            DEFAULTS.checkpointInterval(),
            DEFAULTS.checkpointTimeout(),
            DEFAULTS.maxRestartBackoff(),
            new FlinkSettings.Setting<>(
                "execution.checkpointing.externalized-checkpoint-retention",
                ExternalizedCheckpointRetention.NO_EXTERNALIZED_CHECKPOINTS,
                FlinkSettings.Origin.CLUSTER,
                null),
            DEFAULTS.checkpointStorage());
    StartupChecks.Settings atLeastOnce =
        new StartupChecks.Settings(
            KafkaConnection.to("localhost:1"),
            List.of("in"),
            List.of("out"),
            DeliveryGuarantee.AT_LEAST_ONCE,
            notRetained,
            Duration.ofMinutes(15));
    assertThat(StartupChecks.checkRetainedCheckpoints(atLeastOnce)).isEmpty();
  }

  @Test
  void theTransactionTimeoutAdviceNamesWhereEachTimingComesFrom() {
    FlinkSettings cluster =
        new FlinkSettings(
            DEFAULTS.checkpointInterval(),
            new FlinkSettings.Setting<>(
                "execution.checkpointing.timeout",
                Duration.ofMinutes(10),
                FlinkSettings.Origin.CLUSTER,
                "--checkpoint-timeout"),
            DEFAULTS.maxRestartBackoff(),
            DEFAULTS.checkpointRetention(),
            DEFAULTS.checkpointStorage());
    assertThat(StartupChecks.checkTimings(withFlink(cluster)))
        .singleElement()
        .asString()
        .contains("checkpoint timeout 10min (the cluster's execution.checkpointing.timeout)")
        .contains("checkpoint interval 1s (--checkpoint-interval)")
        .contains("--transaction-timeout to at least 1222s");
  }

  @Test
  void atLeastOnceWithoutCheckpointingIsAllowed() {
    assertThat(
            StartupChecks.checkTimings(
                settings(DeliveryGuarantee.AT_LEAST_ONCE, Duration.ZERO, Duration.ofSeconds(1))))
        .isEmpty();
  }

  @Test
  void aTransactionTimeoutTooCloseToTheCheckpointCycleIsRefused() {
    // 1s + 2m + 10s = 2m11s; twice that is 4m22s.
    assertThat(
            StartupChecks.checkTimings(
                settings(
                    DeliveryGuarantee.EXACTLY_ONCE, Duration.ofSeconds(1), Duration.ofMinutes(3))))
        .singleElement()
        .asString()
        .contains("transaction timeout 3min is too short")
        .contains("--transaction-timeout to at least 262s");
  }

  @Test
  void verifyThrowsOneLineMessage() {
    assertThatThrownBy(
            () ->
                StartupChecks.verify(
                    settings(
                        DeliveryGuarantee.EXACTLY_ONCE, Duration.ZERO, Duration.ofMinutes(15))))
        .isInstanceOf(MisconfigurationException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void durationsAreWrittenTheWayTheOptionsReadThem() {
    assertThat(StartupChecks.human(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(StartupChecks.human(Duration.ofMillis(900_000))).isEqualTo("15min");
    assertThat(StartupChecks.human(Duration.ofMillis(1500))).isEqualTo("2s"); // never shorter
    assertThat(StartupChecks.human(Duration.ofHours(2))).isEqualTo("2h");
    for (Duration d :
        List.of(Duration.ofSeconds(262), Duration.ofMinutes(15), Duration.ofDays(7))) {
      // Flink's own parser, which the options use: a refusal's advice is accepted as given.
      assertThat(TimeUtils.parseDuration(StartupChecks.human(d))).isEqualTo(d);
    }
  }

  @Test
  void clientPropertiesThatContradictTallyAreRefusedBeforeAnyConnection() {
    StartupChecks.Settings settings =
        new StartupChecks.Settings(
            new KafkaConnection(
                "localhost:1",
                KafkaClientProperties.of(Map.of("isolation.level", "read_uncommitted"))),
            List.of("in"),
            List.of("out"),
            DeliveryGuarantee.EXACTLY_ONCE,
            Duration.ofSeconds(1),
            Duration.ofMinutes(2),
            Duration.ofSeconds(10),
            Duration.ofMinutes(15));
    assertThatThrownBy(() -> StartupChecks.verify(settings))
        .isInstanceOf(MisconfigurationException.class)
        .hasMessageContaining("isolation.level=read_uncommitted")
        .hasMessageNotContaining("cannot reach Kafka");
  }

  @Test
  void theFilesBootstrapServersAreNoConflictWhenTheyAreTheOnesUsed() {
    KafkaClientProperties file = KafkaClientProperties.of(Map.of("bootstrap.servers", "b1:9093"));
    StartupChecks.Settings same =
        new StartupChecks.Settings(
            new KafkaConnection("b1:9093", file),
            List.of("in"),
            List.of("out"),
            DeliveryGuarantee.EXACTLY_ONCE,
            Duration.ofSeconds(1),
            Duration.ofMinutes(2),
            Duration.ofSeconds(10),
            Duration.ofMinutes(15));
    assertThat(StartupChecks.checkClientProperties(same)).isEmpty();

    StartupChecks.Settings other =
        new StartupChecks.Settings(
            new KafkaConnection("b2:9093", file),
            List.of("in"),
            List.of("out"),
            DeliveryGuarantee.EXACTLY_ONCE,
            Duration.ofSeconds(1),
            Duration.ofMinutes(2),
            Duration.ofSeconds(10),
            Duration.ofMinutes(15));
    assertThat(StartupChecks.checkClientProperties(other))
        .isNotEmpty()
        .allSatisfy(problem -> assertThat(problem).contains("bootstrap.servers=b1:9093"));
  }
}
