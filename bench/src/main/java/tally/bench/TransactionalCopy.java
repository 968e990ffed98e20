package tally.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The physical limit of an exactly-once Kafka pipeline on this machine: consume, produce the same
 * bytes and commit the consumed offsets in one Kafka transaction per commit interval (the job's
 * checkpoint interval), no state, no Flink. One worker thread per share of the partitions, as the
 * job has one source subtask per share.
 */
final class TransactionalCopy implements AutoCloseable {
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicLong consumed = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean running = true;

  TransactionalCopy(
      String bootstrapServers,
      String inputTopic,
      String outputTopic,
      int partitions,
      int threads,
      Duration commitInterval,
      String name) {
    for (int w = 0; w < threads; w++) {
      List<TopicPartition> share = new ArrayList<>();
      for (int p = w; p < partitions; p += threads) {
        share.add(new TopicPartition(inputTopic, p));
      }
      int worker = w;
      workers.add(
          new Thread(
              () -> copy(bootstrapServers, share, outputTopic, commitInterval, name, worker),
              "tally-bench-copy-" + w));
    }
  }

  void start() {
    workers.forEach(Thread::start);
  }

  long consumed() {
    Throwable e = failure.get();
    if (e != null) {
      throw new IllegalStateException("plain copy failed: " + e, e);
    }
    return consumed.get();
  }

  private void copy(
      String bootstrapServers,
      List<TopicPartition> share,
      String outputTopic,
      Duration commitInterval,
      String name,
      int worker) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, name);
        KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers, name + "-" + worker)) {
      consumer.assign(share);
      consumer.seekToBeginning(share);
      producer.initTransactions();
      producer.beginTransaction();
      long transactionStart = System.nanoTime();
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<byte[], byte[]> record : records) {
          producer.send(
              new ProducerRecord<>(
                  outputTopic, null, record.timestamp(), record.key(), record.value()));
          offsets.put(
              new TopicPartition(record.topic(), record.partition()),
              new OffsetAndMetadata(record.offset() + 1));
        }
        consumed.addAndGet(records.count());
        if (System.nanoTime() - transactionStart >= commitInterval.toNanos()) {
          if (!offsets.isEmpty()) {
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            offsets = new HashMap<>();
          }
          producer.commitTransaction();
          producer.beginTransaction();
          transactionStart = System.nanoTime();
        }
      }
      producer.abortTransaction();
    } catch (Throwable e) {
      failure.compareAndSet(null, e);
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String group) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static KafkaProducer<byte[], byte[]> producer(
      String bootstrapServers, String transactionalId) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread worker : workers) {
      worker.join(30_000);
    }
  }
}
