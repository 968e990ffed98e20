package tally.testkit.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TransactionProducerTest {

  private static MockProducer<String, byte[]> mockProducer() {
    return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  }

  @Test
  void sendsTheGeneratorsRecordsKeyedToTheTopicAndFlushes() {
    GeneratorSettings settings =
        GeneratorSettings.defaults().withCount(500).withRate(0).withTopic("txns");
    MockProducer<String, byte[]> mock = mockProducer();

    long sent;
    try (TransactionProducer producer = new TransactionProducer(settings, mock)) {
      sent = producer.run();
      assertThat(producer.sent()).isEqualTo(500);
      assertThat(producer.acknowledged()).isEqualTo(500);
      assertThat(producer.sentByKind().values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(500);
    }

    assertThat(sent).isEqualTo(500);
    assertThat(mock.flushed()).isTrue();
    assertThat(mock.closed()).isTrue();
    List<GeneratedRecord> expected = new TransactionGenerator(settings).stream().toList();
    List<ProducerRecord<String, byte[]>> history = mock.history();
    assertThat(history).hasSize(500);
    for (int i = 0; i < 500; i++) {
      assertThat(history.get(i).topic()).isEqualTo("txns");
      assertThat(
              new GeneratedRecord(
                  history.get(i).key(), history.get(i).value(), expected.get(i).kind()))
          .isEqualTo(expected.get(i));
    }
  }

  @Test
  void stopsWhenAskedFromAnotherThread() throws Exception {
    GeneratorSettings settings = GeneratorSettings.defaults().withCount(0).withRate(2_000);
    MockProducer<String, byte[]> mock = mockProducer();
    TransactionProducer producer = new TransactionProducer(settings, mock);

    CompletableFuture<Long> running = CompletableFuture.supplyAsync(producer::run);
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.sent() >= 20);
    producer.stop();
    long sent = running.get(10, TimeUnit.SECONDS);

    assertThat(sent).isEqualTo(producer.sent()).isEqualTo(mock.history().size());
    assertThat(mock.flushed()).isTrue();
    producer.close();
  }

  @Test
  void keepsTheRate() {
    GeneratorSettings settings =
        GeneratorSettings.defaults().withCount(41).withRate(400); // 40 gaps of 2.5 ms
    long start = System.nanoTime();

    try (TransactionProducer producer = new TransactionProducer(settings, mockProducer())) {
      producer.run();
    }

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(100));
  }
}
