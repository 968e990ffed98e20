package tally.testkit.generate;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.connectors.kafka.KafkaClientProperties.ClientKind;
import tally.connectors.kafka.KafkaConnection;
import tally.testkit.generate.GeneratedRecord.Kind;

/**
 * Sends a {@link TransactionGenerator}'s records to Kafka at a steady rate with an idempotent
 * producer (acks=all), keyed by the record key (UTF-8). {@link #run()} blocks until the count is
 * reached or {@link #stop()} is called from another thread, then flushes.
 *
 * <pre>{@code
 * try (TransactionProducer producer = TransactionProducer.connect("localhost:9092", settings)) {
 *   long sent = producer.run();
 * }
 * }</pre>
 */
public final class TransactionProducer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TransactionProducer.class);
  private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final GeneratorSettings settings;
  private final Producer<String, byte[]> producer;
  private final Pacer pacer;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLongArray sentByKind = new AtomicLongArray(Kind.values().length);
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
  private volatile boolean stopRequested;

  /** Sends through {@code producer}, which this object closes; the topic must exist. */
  public TransactionProducer(GeneratorSettings settings, Producer<String, byte[]> producer) {
    this(settings, producer, new Pacer(settings.rate()));
  }

  TransactionProducer(GeneratorSettings settings, Producer<String, byte[]> producer, Pacer pacer) {
    this.settings = settings;
    this.producer = producer;
    this.pacer = pacer;
  }

  /** Creates the topic if it is missing, then an idempotent Kafka producer for it. */
  public static TransactionProducer connect(KafkaConnection kafka, GeneratorSettings settings) {
    TopicProvisioner.ensureTopic(kafka, settings.topic(), settings.partitions());
    return new TransactionProducer(
        settings,
        new KafkaProducer<>(
            producerConfig(kafka), new StringSerializer(), new ByteArraySerializer()));
  }

  /**
   * As {@link #connect(KafkaConnection, GeneratorSettings)}, for a Kafka without client settings.
   */
  public static TransactionProducer connect(String bootstrapServers, GeneratorSettings settings) {
    return connect(KafkaConnection.to(bootstrapServers), settings);
  }

  static Properties producerConfig(KafkaConnection kafka) {
    return kafka.config(
        ClientKind.TOOL_PRODUCER,
        Map.of(
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true), // retries keep order, no duplicates
        Map.of(
            ProducerConfig.CLIENT_ID_CONFIG,
            "tally-generate",
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.BATCH_SIZE_CONFIG,
            64 * 1024));
  }

  /**
   * Generates and sends until the count is reached or {@link #stop()} is called, then flushes.
   *
   * @return the number of records sent
   * @throws IllegalStateException if Kafka rejected a record (sending stops at the first failure)
   */
  public long run() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("run() may be called once");
    }
    TransactionGenerator generator = new TransactionGenerator(settings);
    long startNanos = System.nanoTime();
    long lastLogNanos = startNanos;
    long lastLogSent = 0;
    LOG.info(
        "Generator sending {} records to {} at {} (seed {}, {} accounts, {} merchants, duplicates"
            + " {}, invalid {})",
        settings.unbounded() ? "unbounded" : settings.count(),
        settings.topic(),
        settings.rate() > 0 ? settings.rate() + " records/s" : "full speed",
        settings.seed(),
        settings.accounts(),
        settings.merchants(),
        settings.duplicateRatio(),
        settings.invalidRatio());
    try {
      while (generator.hasNext() && !shouldStop() && pacer.awaitNextSlot(this::shouldStop)) {
        GeneratedRecord record = generator.next();
        producer.send(
            new ProducerRecord<>(settings.topic(), record.key(), record.value()), onAcknowledged());
        sent.incrementAndGet();
        sentByKind.incrementAndGet(record.kind().ordinal());
        long now = System.nanoTime();
        if (now - lastLogNanos >= PROGRESS_INTERVAL_NANOS) {
          long total = sent.get();
          LOG.info(
              "Generator: sent {} records ({}/s), {} acknowledged",
              total,
              perSecond(total - lastLogSent, now - lastLogNanos),
              acknowledged.get());
          lastLogNanos = now;
          lastLogSent = total;
        }
      }
    } finally {
      flushKeepingInterrupt();
    }
    long total = sent.get();
    LOG.info(
        "Generator finished: sent {} records in {} s ({}/s): {} valid, {} duplicates, {} invalid;"
            + " {} acknowledged",
        total,
        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - startNanos) / 1e9),
        perSecond(total, System.nanoTime() - startNanos),
        sentByKind.get(Kind.VALID.ordinal()),
        sentByKind.get(Kind.DUPLICATE.ordinal()),
        total - sentByKind.get(Kind.VALID.ordinal()) - sentByKind.get(Kind.DUPLICATE.ordinal()),
        acknowledged.get());
    Exception failure = firstFailure.get();
    if (failure != null) {
      throw new IllegalStateException("Kafka rejected a record: " + failure.getMessage(), failure);
    }
    return total;
  }

  /** Asks {@link #run()} to stop after the record in flight; safe from any thread. */
  public void stop() {
    stopRequested = true;
  }

  /** Records handed to the producer so far. */
  public long sent() {
    return sent.get();
  }

  /** Records the brokers acknowledged so far. */
  public long acknowledged() {
    return acknowledged.get();
  }

  /** Records sent so far, by kind. */
  public Map<Kind, Long> sentByKind() {
    Map<Kind, Long> counts = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      counts.put(kind, sentByKind.get(kind.ordinal()));
    }
    return counts;
  }

  public GeneratorSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    producer.close();
  }

  private boolean shouldStop() {
    return stopRequested || firstFailure.get() != null || Thread.currentThread().isInterrupted();
  }

  private Callback onAcknowledged() {
    return (metadata, exception) -> {
      if (exception == null) {
        acknowledged.incrementAndGet();
      } else if (firstFailure.compareAndSet(null, exception)) {
        LOG.error("Generator stopping: Kafka rejected a record: {}", exception.toString());
      }
    };
  }

  /**
   * flush() throws if the thread is interrupted; an interrupt means "stop", not "lose what was
   * sent".
   */
  private void flushKeepingInterrupt() {
    boolean interrupted = Thread.interrupted();
    try {
      producer.flush();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String perSecond(long count, long nanos) {
    return nanos <= 0 ? "-" : String.format(Locale.ROOT, "%.0f", count * 1e9 / nanos);
  }
}
