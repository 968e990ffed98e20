package tally.bench;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.testkit.generate.GeneratedRecord;
import tally.testkit.generate.GeneratorSettings;
import tally.testkit.generate.TransactionGenerator;

/**
 * Writes one run's input: a backlog of generated transactions as fast as the broker takes them,
 * then (for the latency phase) more of the same stream at a steady rate. One generator serves both,
 * so the paced records continue the backlog's accounts, balances and txnIds.
 *
 * <p>Records carry the producer's send time as their Kafka timestamp; the ledger job (and the plain
 * copy) keep it on their output records, which is how the latency probe measures produce-to-visible
 * time.
 */
final class InputFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InputFeed.class);
  private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final String topic;
  private final TransactionGenerator generator;
  private final KafkaProducer<byte[], byte[]> producer;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private long sent;

  InputFeed(String bootstrapServers, GeneratorSettings settings) {
    this.topic = settings.topic();
    this.generator =
        new TransactionGenerator(settings.withCount(0)); // unbounded: we decide when to stop
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "tally-bench-feed");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    // One request in flight: on a topic created a moment ago the first batch can fail retriably
    // while later ones land, and its retry then fails for good as out of sequence. Large batches
    // keep the backlog fast anyway.
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Sends {@code count} records as fast as possible and waits until all are acknowledged; returns
   * records/s.
   */
  double preload(long count) {
    long started = System.nanoTime();
    long lastLog = started;
    for (long i = 0; i < count; i++) {
      send();
      if ((i & 0xFFF) == 0 && System.nanoTime() - lastLog > PROGRESS_NANOS) {
        lastLog = System.nanoTime();
        LOG.info("Bench: preloaded {} of {} records into {}", i, count, topic);
      }
    }
    producer.flush();
    throwIfFailed();
    double seconds = (System.nanoTime() - started) / 1e9;
    LOG.info(
        "Bench: preloaded {} records into {} in {} s ({} records/s)",
        count,
        topic,
        Format.decimal(seconds, 1),
        Format.integer(count / seconds));
    return count / seconds;
  }

  /** Sends at {@code ratePerSecond}, evenly spaced, for {@code nanos}; returns the number sent. */
  long pace(double ratePerSecond, long nanos) {
    double interval = 1e9 / ratePerSecond;
    long start = System.nanoTime();
    long n = 0;
    while (true) {
      long due = start + (long) (n * interval);
      if (due - start >= nanos) {
        break;
      }
      long wait = due - System.nanoTime();
      if (wait > 50_000) {
        LockSupport.parkNanos(wait);
      }
      send();
      n++;
    }
    producer.flush();
    throwIfFailed();
    return n;
  }

  long sent() {
    return sent;
  }

  private void send() {
    GeneratedRecord record = generator.next();
    producer.send(
        new ProducerRecord<>(topic, record.keyBytes(), record.value()),
        (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
    sent++;
  }

  private void throwIfFailed() {
    if (failure.get() != null) {
      throw new IllegalStateException(
          "Kafka rejected a bench record: " + failure.get().getMessage(), failure.get());
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
