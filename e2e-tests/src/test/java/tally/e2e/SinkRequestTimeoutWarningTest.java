package tally.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import tally.connectors.kafka.KafkaClientProperties;
import tally.connectors.kafka.KafkaConnection;
import tally.connectors.kafka.KafkaSinks;

/** A user who shortens the exactly-once sink's request timeout hears why that risks data loss. */
class SinkRequestTimeoutWarningTest {

  private static final String WARNING = "The exactly-once sink's request.timeout.ms=";

  @Test
  void aRequestTimeoutBelowKafkasDefaultIsWarnedAboutOnceAtStartUp() {
    assertThat(
            warningsBuilding(KafkaClientProperties.load(null, List.of("request.timeout.ms=5000"))))
        .singleElement()
        .asString()
        .startsWith(WARNING + "5000 is below 30000 ms")
        .contains("stale InitProducerId");
  }

  @Test
  void theDefaultAndLongerTimeoutsAreNot() {
    assertThat(warningsBuilding(KafkaClientProperties.none())).isEmpty();
    assertThat(
            warningsBuilding(KafkaClientProperties.load(null, List.of("request.timeout.ms=60000"))))
        .isEmpty();
  }

  private static List<String> warningsBuilding(KafkaClientProperties client) {
    try (WarnLines warnings = new WarnLines(KafkaSinks.class.getName(), WARNING)) {
      KafkaSinks.outbound(
          new KafkaConnection("localhost:9092", client),
          List.of("out"),
          DeliveryGuarantee.EXACTLY_ONCE,
          "tally-test",
          Duration.ofMinutes(15),
          Map.of());
      return warnings.lines();
    }
  }
}
