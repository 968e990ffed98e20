package tally.connectors.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

/** The checks that need no broker; the Kafka-facing ones run against a real broker in tooling. */
class StartupChecksTest {

  private static StartupChecks.Settings settings(
      DeliveryGuarantee guarantee, Duration interval, Duration transactionTimeout) {
    return new StartupChecks.Settings(
        "localhost:1",
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
        .contains("needs checkpointing")
        .contains("--checkpoint-interval");
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
        .contains("transaction timeout 3m is too short")
        .contains("--transaction-timeout to at least 4m22s");
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
  void humanDurations() {
    assertThat(StartupChecks.human(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(StartupChecks.human(Duration.ofMillis(900_000))).isEqualTo("15m");
    assertThat(StartupChecks.human(Duration.ofMillis(1500))).isEqualTo("1s500ms");
  }
}
