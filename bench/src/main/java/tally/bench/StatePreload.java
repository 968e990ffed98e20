package tally.bench;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.testkit.generate.GeneratedRecord;
import tally.testkit.generate.GeneratorSettings;
import tally.testkit.generate.OpeningDeposits;

/**
 * Writes one opening deposit per account ({@link OpeningDeposits}) into a run's input topic as fast
 * as the broker takes them, logging progress: the state a state-growth run builds before its
 * measured backlog. Larger batches and a longer linger than {@link InputFeed}, as only the total
 * time matters here.
 */
final class StatePreload {
  private static final Logger LOG = LoggerFactory.getLogger(StatePreload.class);
  private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);

  private StatePreload() {}

  /** Sends the deposits and waits until all are acknowledged; returns records/s. */
  static double feed(String bootstrapServers, GeneratorSettings settings) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "tally-bench-state-preload");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    // As InputFeed: one request in flight, as the topic was created a moment ago.
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    AtomicReference<Exception> failure = new AtomicReference<>();
    OpeningDeposits deposits = new OpeningDeposits(settings);
    long count = deposits.count();
    long started = System.nanoTime();
    long lastLog = started;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      long sent = 0;
      while (deposits.hasNext()) {
        GeneratedRecord record = deposits.next();
        producer.send(
            new ProducerRecord<>(settings.topic(), record.keyBytes(), record.value()),
            (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
        sent++;
        if ((sent & 0xFFFF) == 0) {
          if (failure.get() != null) {
            break;
          }
          if (System.nanoTime() - lastLog > PROGRESS_NANOS) {
            lastLog = System.nanoTime();
            LOG.info(
                "Bench: state preload, {} of {} opening deposits written into {} ({} records/s)",
                Format.integer(sent),
                Format.integer(count),
                settings.topic(),
                Format.integer(sent / ((lastLog - started) / 1e9)));
          }
        }
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "Kafka rejected an opening deposit: " + failure.get().getMessage(), failure.get());
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    LOG.info(
        "Bench: state preload, {} opening deposits written into {} in {} s ({} records/s)",
        Format.integer(count),
        settings.topic(),
        Format.decimal(seconds, 1),
        Format.integer(count / seconds));
    return count / seconds;
  }
}
