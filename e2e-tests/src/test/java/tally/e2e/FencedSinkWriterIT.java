package tally.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.runtime.operators.sink.SinkWriterOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tally.connectors.kafka.ExactlyOnceKafkaSink;
import tally.connectors.kafka.KafkaConnection;
import tally.connectors.kafka.KafkaSinks;
import tally.connectors.kafka.OutboundRecord;
import tally.kafka.local.KafkaClusterExtension;

/**
 * A sink writer whose producer a newer attempt fenced, closed as Flink closes it in a failed task's
 * cleanup, on a real broker: the connector's own writer fails its close (which Flink 2.2 treats as
 * fatal for the whole TaskManager), Tally's closes cleanly.
 */
class FencedSinkWriterIT {
  @RegisterExtension static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();

  @Test
  void theConnectorsWriterFailsItsCloseWhenFenced() {
    String prefix = "fenced-plain";
    Sink<OutboundRecord> sink = sink(prefix, false);

    Throwable closing = catchThrowable(() -> writeFenceAndClose(sink, prefix));

    assertThat(closing).as("what Tally's writer corrects").isNotNull();
    assertThat(closing)
        .hasStackTraceContaining("InvalidProducerEpochException")
        .as("the close, not the writes, failed");
  }

  @Test
  void tallysWriterClosesCleanlyWhenFenced() throws Exception {
    String prefix = "fenced-tally";
    Sink<OutboundRecord> sink = sink(prefix, true);

    writeFenceAndClose(sink, prefix);
  }

  private static Sink<OutboundRecord> sink(String prefix, boolean tallys) {
    String topic = prefix + ".out";
    KAFKA.createTopic(topic, 1);
    KafkaSink<OutboundRecord> connectors =
        KafkaSinks.outbound(
            KafkaConnection.to(KAFKA.bootstrapServers()),
            List.of(topic),
            DeliveryGuarantee.EXACTLY_ONCE,
            prefix,
            Duration.ofMinutes(5),
            Map.of());
    return tallys ? new ExactlyOnceKafkaSink<>(connectors, false) : connectors;
  }

  /**
   * Writes a record into the writer's first transaction, lets a producer with the same
   * transactional id fence it (as a newer attempt's writer does), writes again and closes.
   */
  private static void writeFenceAndClose(Sink<OutboundRecord> sink, String prefix)
      throws Exception {
    String topic = prefix + ".out";
    OneInputStreamOperatorTestHarness<OutboundRecord, CommittableMessage<Object>> harness =
        new OneInputStreamOperatorTestHarness<>(new SinkWriterOperatorFactory(sink));
    try {
      harness.open();
      harness.processElement(record(topic, "before"), 1L);
      String transactionalId = prefix + "-0-0";
      // The record reached the broker in the open transaction (as the output of a running job
      // has), so the next send carries an epoch the broker knows is old.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  !KAFKA
                      .admin()
                      .describeTransactions(List.of(transactionalId))
                      .description(transactionalId)
                      .get()
                      .topicPartitions()
                      .isEmpty());
      try (WarnLines failed =
          new WarnLines(
              "org.apache.flink.connector.kafka.sink.KafkaWriter", "Kafka request failed")) {
        fence(transactionalId);
        harness.processElement(record(topic, "after"), 2L);
        // The broker refused the old epoch and the writer recorded it, as when a newer attempt
        // took over while this one was being cancelled.
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> !failed.lines().isEmpty());
      }
    } finally {
      harness.close();
    }
  }

  private static OutboundRecord record(String topic, String value) {
    return new OutboundRecord(
        topic, value.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  /** What a newer attempt's writer does to the transactional id: initTransactions. */
  private static void fence(String transactionalId) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    try (KafkaProducer<byte[], byte[]> newer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      newer.initTransactions();
    }
  }
}
