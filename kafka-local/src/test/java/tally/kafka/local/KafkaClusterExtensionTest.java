package tally.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static tally.kafka.local.KafkaTestClients.readCommitted;
import static tally.kafka.local.KafkaTestClients.writeTransaction;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaClusterExtensionTest {

  @RegisterExtension static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();

  @Test
  void createsTopicsOnTheClusterItStarted() throws Exception {
    KAFKA.createTopic("extension-topic", 3);

    assertThat(
            KAFKA
                .admin()
                .describeTopics(java.util.List.of("extension-topic"))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get("extension-topic")
                .partitions())
        .hasSize(3);
    writeTransaction(KAFKA.bootstrapServers(), "tx-ext", "extension-topic", true, "e1", "e2");
    assertThat(readCommitted(KAFKA.bootstrapServers(), "extension-topic"))
        .containsExactlyInAnyOrder("e1", "e2");
  }

  @Nested
  class NestedTests {
    @Test
    void shareTheOuterClassCluster() {
      assertThat(KAFKA.cluster().describe()).contains(KAFKA.bootstrapServers());
    }
  }
}
