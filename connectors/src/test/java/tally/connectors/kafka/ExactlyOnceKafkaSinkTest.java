package tally.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.internal.FlinkKafkaInternalProducer;
import org.apache.flink.connector.kafka.sink.internal.KafkaCommitter;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The committer of {@link ExactlyOnceKafkaSink} around the connector's real {@link KafkaCommitter},
 * whose producers fail their commits as scripted (no broker: a producer that is never asked to send
 * does not connect).
 */
class ExactlyOnceKafkaSinkTest {
  private static final AtomicInteger NEXT = new AtomicInteger();

  /** Failure of the commit per transactional id; absent: the commit succeeds. */
  private final Map<String, RuntimeException> failures = new HashMap<>();

  private final List<FlinkKafkaInternalProducer<?, ?>> producers = new ArrayList<>();
  private final String prefix = "foreign-test-" + NEXT.incrementAndGet();
  private final KafkaCommitter kafkaCommitter =
      new KafkaCommitter(
          producerConfig(), prefix, 0, 0, true, (config, id) -> producer(config, id));
  private final ExactlyOnceKafkaSink.DroppingCommitter committer =
      new ExactlyOnceKafkaSink.DroppingCommitter(kafkaCommitter, 0);

  @AfterEach
  void close() throws Exception {
    committer.close();
    for (FlinkKafkaInternalProducer<?, ?> producer : producers) {
      producer.close();
    }
  }

  @Test
  void aRestoredTransactionTheClusterDoesNotHoldIsDroppedNotRetried() throws Exception {
    failures.put(prefix + "-0-0", new InvalidPidMappingException("unknown here"));
    Request foreign = restored(prefix + "-0-0");
    Request held = restored(prefix + "-0-1");

    committer.commit(List.of(foreign, held));

    assertThat(foreign.outcome).isEqualTo("failed (known): InvalidPidMappingException");
    assertThat(held.outcome).as("committed: nothing signalled").isNull();
    assertThat(committer.dropped()).isEqualTo(1);
  }

  @Test
  void aRestoredTransactionThatCommitsIsNeverDropped() throws Exception {
    Request held = restored(prefix + "-0-0");
    committer.commit(List.of(held));
    assertThat(held.outcome).isNull();
    assertThat(committer.dropped()).isZero();
  }

  @Test
  void anyOtherFailureOfARestoredTransactionStillFailsTheJob() throws Exception {
    failures.put(prefix + "-0-0", new KafkaException("broker on fire"));
    Request request = restored(prefix + "-0-0");

    Throwable thrown = catchThrowable(() -> committer.commit(List.of(request)));

    assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("commit");
    assertThat(request.outcome).isEqualTo("failed (unknown): KafkaException");
    assertThat(committer.dropped()).isZero();
  }

  @Test
  void thisRunsOwnTransactionIsLeftToTheConnector() throws Exception {
    String id = prefix + "-0-0";
    failures.put(id, new InvalidPidMappingException("expired"));
    FlinkKafkaInternalProducer<?, ?> writers = producer(producerConfig(), id);
    Request own = new Request(new KafkaCommittable(7, (short) 0, id, writers));

    Throwable thrown = catchThrowable(() -> committer.commit(List.of(own)));

    assertThat(thrown).isInstanceOf(IllegalStateException.class);
    assertThat(own.outcome).isEqualTo("failed (unknown): InvalidPidMappingException");
    assertThat(committer.dropped()).isZero();
  }

  @Test
  void aFencedTransactionIsDroppedByTheConnectorAsBefore() throws Exception {
    failures.put(prefix + "-0-0", new ProducerFencedException("fenced"));
    Request fenced = restored(prefix + "-0-0");

    committer.commit(List.of(fenced));

    assertThat(fenced.outcome).isEqualTo("failed (known): ProducerFencedException");
    assertThat(committer.dropped()).as("not ours to count").isZero();
  }

  // ---------------------------------------------------------------------------------------------

  private static Request restored(String transactionalId) {
    // Deserialized from state: no producer attached.
    return new Request(new KafkaCommittable(42, (short) 3, transactionalId, null));
  }

  private static Properties producerConfig() {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return config;
  }

  private FlinkKafkaInternalProducer<?, ?> producer(Properties config, String transactionalId) {
    FlinkKafkaInternalProducer<byte[], byte[]> producer =
        new FlinkKafkaInternalProducer<>(config, transactionalId) {
          @Override
          public void commitTransaction() {
            RuntimeException failure = failures.get(getTransactionalId());
            if (failure != null) {
              throw failure;
            }
          }
        };
    producers.add(producer);
    return producer;
  }

  /** Records the outcome; an unknown failure throws, as Flink's commit request does. */
  private static final class Request implements CommitRequest<KafkaCommittable> {
    final KafkaCommittable committable;
    String outcome;

    Request(KafkaCommittable committable) {
      this.committable = committable;
    }

    @Override
    public KafkaCommittable getCommittable() {
      return committable;
    }

    @Override
    public int getNumberOfRetries() {
      return 0;
    }

    @Override
    public void signalFailedWithKnownReason(Throwable t) {
      outcome = "failed (known): " + t.getClass().getSimpleName();
    }

    @Override
    public void signalFailedWithUnknownReason(Throwable t) {
      outcome = "failed (unknown): " + t.getClass().getSimpleName();
      throw new IllegalStateException("Failed to commit " + committable, t);
    }

    @Override
    public void retryLater() {
      outcome = "retry";
    }

    @Override
    public void updateAndRetryLater(KafkaCommittable committable) {
      outcome = "retry";
    }

    @Override
    public void signalAlreadyCommitted() {
      outcome = "already committed";
    }
  }
}
