package tally.cluster.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.connectors.kafka.KafkaClientProperties.ClientKind;
import tally.connectors.kafka.KafkaConnection;

/**
 * Counts the records a read_committed consumer sees in some topics, in a background thread: the
 * output that is really visible downstream, not what the job has written so far.
 */
public final class OutputCounter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutputCounter.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  public OutputCounter(KafkaConnection kafka, List<String> topics) {
    Properties props =
        kafka.config(
            ClientKind.TOOL_CONSUMER,
            Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      counts.put(topic, new AtomicLong());
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this::poll, "output-counter");
    thread.setDaemon(true);
    thread.start();
  }

  public long count(String topic) {
    AtomicLong count = counts.get(topic);
    return count == null ? 0 : count.get();
  }

  private void poll() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          counts.get(record.topic()).incrementAndGet();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.warn("Output counter stopped: {}", e.toString());
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5_000);
  }
}
