package tally.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.avro.UndecodableException;
import tally.connectors.kafka.KafkaClientProperties.ClientKind;
import tally.connectors.kafka.KafkaConnection;
import tally.schemas.BalanceUpdate;

/**
 * Watches what a downstream reader sees while faults happen: a {@code read_committed} consumer of
 * the balances topic maps each visible update back to the generated transaction it answers ({@link
 * GeneratorClock}), and a sampler records how far the generator has got. From both:
 *
 * <ul>
 *   <li>when output flowed again after a fault: the first visible update for a transaction
 *       generated after the fault ({@link #firstVisibleAtOrAfter});
 *   <li>availability: the share of time the visible output was at most {@code lagThreshold} behind
 *       the input (the oldest transaction without a visible answer was generated less than that
 *       ago).
 * </ul>
 */
final class OutputFlowMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutputFlowMonitor.class);
  private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final int AVAILABILITY_EVERY = 5; // samples: every 250 ms

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroSingleObjectSerde<BalanceUpdate> serde =
      AvroSingleObjectSerde.forType(BalanceUpdate.class);
  private final LongSupplier generatorSent;
  private final Duration lagThreshold;
  private final Thread reader;
  private final Thread sampler;
  private volatile boolean running = true;

  /** (nanoTime, highest transaction index visible) each time the highest index grows. */
  private final List<long[]> frontier = new ArrayList<>();

  /** (nanoTime, records the generator had sent). */
  private final List<long[]> generated = new ArrayList<>();

  private volatile long maxIndexSeen = -1;
  private volatile long visibleUpdates;
  private volatile boolean measuringAvailability;
  private long availabilitySamples;
  private long availableSamples;

  OutputFlowMonitor(
      KafkaConnection kafka,
      String balancesTopic,
      LongSupplier generatorSent,
      Duration lagThreshold) {
    this.generatorSent = generatorSent;
    this.lagThreshold = lagThreshold;
    this.consumer =
        new KafkaConsumer<>(
            kafka.config(
                ClientKind.TOOL_CONSUMER,
                Map.of(
                    ConsumerConfig.CLIENT_ID_CONFIG, "tally-chaos-monitor",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : consumer.partitionsFor(balancesTopic, Duration.ofSeconds(30))) {
      partitions.add(new TopicPartition(balancesTopic, info.partition()));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    reader = new Thread(this::read, "tally-chaos-output-monitor");
    sampler = new Thread(this::sample, "tally-chaos-sampler");
    reader.setDaemon(true);
    sampler.setDaemon(true);
  }

  void start() {
    reader.start();
    sampler.start();
  }

  long visibleUpdates() {
    return visibleUpdates;
  }

  long maxIndexSeen() {
    return maxIndexSeen;
  }

  /**
   * When (nanoTime) the first update for a transaction with index >= {@code index} became visible.
   */
  synchronized OptionalLong firstVisibleAtOrAfter(long index) {
    for (long[] point : frontier) {
      if (point[1] >= index) {
        return OptionalLong.of(point[0]);
      }
    }
    return OptionalLong.empty();
  }

  /**
   * Starts or stops counting availability samples (from the warm-up's end to the generator's stop).
   */
  void measureAvailability(boolean on) {
    measuringAvailability = on;
  }

  synchronized double availability() {
    return availabilitySamples == 0 ? 1.0 : (double) availableSamples / availabilitySamples;
  }

  synchronized Duration unavailable() {
    return Duration.ofNanos(
        (availabilitySamples - availableSamples) * SAMPLE_NANOS * AVAILABILITY_EVERY);
  }

  private void read() {
    try {
      while (running) {
        long highest = -1;
        long count = 0;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          count++;
          try {
            highest =
                Math.max(
                    highest, GeneratorClock.indexOf(serde.decode(record.value()).getEventTime()));
          } catch (UndecodableException e) {
            LOG.warn(
                "Chaos monitor: undecodable balance update at {}-{}@{}",
                record.topic(),
                record.partition(),
                record.offset());
          }
        }
        if (count > 0) {
          visibleUpdates += count;
          if (highest > maxIndexSeen) {
            synchronized (this) {
              maxIndexSeen = highest;
              frontier.add(new long[] {System.nanoTime(), highest});
            }
          }
        }
      }
    } catch (WakeupException closing) {
      // close() woke the poll
    } catch (RuntimeException e) {
      LOG.warn("Chaos monitor stopped reading: {}", e.toString());
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void sample() {
    long tick = 0;
    while (running) {
      long now = System.nanoTime();
      synchronized (this) {
        generated.add(new long[] {now, generatorSent.getAsLong()});
        if (measuringAvailability && ++tick % AVAILABILITY_EVERY == 0) {
          availabilitySamples++;
          if (caughtUp(now)) {
            availableSamples++;
          }
        }
      }
      java.util.concurrent.locks.LockSupport.parkNanos(SAMPLE_NANOS);
    }
  }

  /**
   * How far the visible output is behind the input now: the age of the oldest transaction without a
   * visible answer, zero when none is waiting. Availability is this lag at most the threshold.
   */
  synchronized Duration outputLag() {
    return Duration.ofNanos(lagNanos(System.nanoTime()));
  }

  /** The oldest transaction without a visible answer was generated at most the threshold ago. */
  private boolean caughtUp(long now) {
    return lagNanos(now) <= lagThreshold.toNanos();
  }

  private long lagNanos(long now) {
    long firstUnanswered = maxIndexSeen + 1;
    long generatedAt = generationTimeOf(firstUnanswered);
    return generatedAt < 0 ? 0 : Math.max(0, now - generatedAt);
  }

  /**
   * nanoTime of the first sample at which the generator had sent transaction {@code index}, or -1.
   */
  private long generationTimeOf(long index) {
    int low = 0;
    int high = generated.size() - 1;
    long found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (generated.get(mid)[1] > index) {
        found = generated.get(mid)[0];
        high = mid - 1;
      } else {
        low = mid + 1;
      }
    }
    return found;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    reader.join(5_000);
    sampler.join(5_000);
  }
}
