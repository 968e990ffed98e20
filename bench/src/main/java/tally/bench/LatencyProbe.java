package tally.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * End-to-end latency as a downstream reader sees it: a {@code read_committed} consumer of the
 * output topics measures, for each record, the time it became visible minus its Kafka timestamp
 * (the producer's send time of the input record it was made from, which the job keeps).
 */
final class LatencyProbe implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long measureFromMillis = Long.MAX_VALUE;
  private long[] latencies = new long[1 << 16];
  private int count;
  private volatile long lastSeenNanos = System.nanoTime();

  /** Starts reading at the current end of {@code topics}. */
  LatencyProbe(String bootstrapServers, List<String> topics, int partitions) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tally-bench-latency");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> assigned = new ArrayList<>();
    for (String topic : topics) {
      for (int p = 0; p < partitions; p++) {
        assigned.add(new TopicPartition(topic, p));
      }
    }
    consumer.assign(assigned);
    consumer.seekToEnd(assigned);
    assigned.forEach(consumer::position); // resolve the end offsets now, before any new record
    thread = new Thread(this::poll, "tally-bench-latency");
    thread.setDaemon(true);
    thread.start();
  }

  /** Records produced before this wall-clock time are read but not measured (warm-up). */
  void measureFrom(long epochMillis) {
    measureFromMillis = epochMillis;
  }

  /** Waits until no record arrived for {@code quiet}, then stops; returns the latencies in ms. */
  Distribution finish(Duration quiet, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() - lastSeenNanos < quiet.toNanos() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    running = false;
    thread.join(10_000);
    synchronized (this) {
      return Distribution.of(latencies, count);
    }
  }

  private void poll() {
    try {
      while (running) {
        var records = consumer.poll(Duration.ofMillis(100));
        long now = System.currentTimeMillis();
        if (!records.isEmpty()) {
          lastSeenNanos = System.nanoTime();
        }
        synchronized (this) {
          for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.timestamp() >= measureFromMillis) {
              if (count == latencies.length) {
                latencies = java.util.Arrays.copyOf(latencies, count * 2);
              }
              latencies[count++] = Math.max(0, now - record.timestamp());
            }
          }
        }
      }
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(10_000);
  }
}
