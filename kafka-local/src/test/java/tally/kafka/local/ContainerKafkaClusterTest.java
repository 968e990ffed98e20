package tally.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What can be checked without a Docker engine: how broker properties reach the apache/kafka image.
 */
class ContainerKafkaClusterTest {

  @Test
  void brokerPropertiesBecomeTheImagesEnvironmentVariables() {
    assertThat(ContainerKafkaCluster.envVarName("transaction.state.log.min.isr"))
        .isEqualTo("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR");
    assertThat(ContainerKafkaCluster.envVarName("abc_def")).isEqualTo("KAFKA_ABC__DEF");
    assertThat(ContainerKafkaCluster.envVarName("abc-def")).isEqualTo("KAFKA_ABC___DEF");
  }

  @Test
  void theSingleBrokerDefaultsAreAllPassed() {
    Map<String, String> env =
        ContainerKafkaCluster.environment(
            KafkaClusterOptions.builder()
                .transactionStateLogPartitions(3)
                .build()
                .effectiveBrokerProperties());

    assertThat(env)
        .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
        .containsEntry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
        .containsEntry("KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS", "3")
        .containsEntry("KAFKA_TRANSACTION_MAX_TIMEOUT_MS", "900000")
        .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
  }

  @Test
  void aSecuredModeIsRefusedBeforeAnyContainerStarts() {
    KafkaClusterOptions secured =
        KafkaClusterOptions.builder().security(BrokerSecurity.MUTUAL_TLS).build();

    assertThatThrownBy(() -> ContainerKafkaCluster.start(secured))
        .isInstanceOf(KafkaStartException.class)
        .hasMessageContaining("PLAINTEXT only")
        .hasMessageContaining("MUTUAL_TLS");
  }
}
