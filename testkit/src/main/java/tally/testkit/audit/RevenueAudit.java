package tally.testkit.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.avro.UndecodableException;
import tally.connectors.kafka.KafkaConnection;
import tally.connectors.kafka.KafkaFailures;
import tally.jobs.common.Topics;
import tally.schemas.BalanceUpdate;
import tally.schemas.MerchantRevenue;
import tally.testkit.audit.RevenueComparison.RevenueCounts;

/**
 * The revenue part of the audit against a live Kafka: reads the balance updates (the revenue job's
 * input, read_committed) up to their end, then the window totals and late debits, until every
 * window the job must have fired is accounted for or the timeout expires.
 */
public final class RevenueAudit {
  private static final Logger LOG = LoggerFactory.getLogger(RevenueAudit.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /** What to read and how the revenue job windows it. */
  public record Settings(
      KafkaConnection kafka,
      Topics topics,
      Duration window,
      Duration outOfOrderness,
      boolean drained,
      Duration timeout) {
    /** The contract's topics, the revenue job's default windowing, a 60 s timeout. */
    public static Settings defaults(KafkaConnection kafka) {
      return new Settings(
          kafka,
          Topics.DEFAULTS,
          Duration.ofMinutes(1),
          Duration.ofSeconds(5),
          false,
          Duration.ofSeconds(60));
    }

    public static Settings defaults(String bootstrapServers) {
      return defaults(KafkaConnection.to(bootstrapServers));
    }

    public Settings withDrained(boolean value) {
      return new Settings(kafka, topics, window, outOfOrderness, value, timeout);
    }

    public Settings withTimeout(Duration value) {
      return new Settings(kafka, topics, window, outOfOrderness, drained, value);
    }

    public Settings withTopics(Topics value) {
      return new Settings(kafka, value, window, outOfOrderness, drained, timeout);
    }

    public Settings withWindowing(Duration newWindow, Duration newOutOfOrderness) {
      return new Settings(kafka, topics, newWindow, newOutOfOrderness, drained, timeout);
    }

    String balancesTopic() {
      return topics.balances();
    }

    String revenueTopic() {
      return topics.merchantRevenue();
    }

    String lateTopic() {
      return topics.revenueLate();
    }
  }

  private final Settings settings;
  private final AvroSingleObjectSerde<BalanceUpdate> balances =
      AvroSingleObjectSerde.forType(BalanceUpdate.class);
  private final AvroSingleObjectSerde<MerchantRevenue> revenue =
      AvroSingleObjectSerde.forType(MerchantRevenue.class);

  public RevenueAudit(Settings settings) {
    this.settings = settings;
  }

  public RevenueCounts run() {
    try (Consumer<byte[], byte[]> input = consumer();
        Consumer<byte[], byte[]> output = consumer()) {
      List<ConsumerRecord<byte[], byte[]>> balanceRecords = new ArrayList<>();
      readToEnd(input, assignFromStart(input, List.of(settings.balancesTopic())), balanceRecords);

      List<TopicPartition> outputs =
          assignFromStart(output, List.of(settings.revenueTopic(), settings.lateTopic()));
      List<ConsumerRecord<byte[], byte[]>> outputRecords = new ArrayList<>();
      long deadline = System.nanoTime() + settings.timeout().toNanos();
      RevenueCounts counts;
      while (true) {
        readToEnd(output, outputs, outputRecords);
        counts = compare(balanceRecords, outputRecords);
        boolean complete = counts.lost() == 0 && (!settings.drained() || counts.pending() == 0);
        if (complete || System.nanoTime() > deadline) {
          break;
        }
        LOG.info(
            "Revenue audit: waiting for windows: {} of {} accounted for, {} lost so far",
            counts.found(),
            counts.expectedWindows(),
            counts.lost());
        // Keep what this wait returns: the next readToEnd continues after it.
        output.poll(POLL.multipliedBy(5)).forEach(outputRecords::add);
      }
      LOG.info(
          "Revenue audit: {} windows, {} late, {} pending: {}",
          counts.found(),
          counts.lateRecords(),
          counts.pending(),
          counts.clean() ? "clean" : "NOT clean");
      return counts;
    } catch (KafkaException e) {
      throw new AuditException(
          "the revenue audit failed: "
              + KafkaFailures.explain(
                  e, settings.kafka().bootstrapServers(), settings.kafka().client()),
          e);
    }
  }

  private RevenueCounts compare(
      List<ConsumerRecord<byte[], byte[]>> balanceRecords,
      List<ConsumerRecord<byte[], byte[]>> outputRecords) {
    RevenueComparison comparison =
        new RevenueComparison(settings.window(), settings.outOfOrderness());
    for (ConsumerRecord<byte[], byte[]> record : balanceRecords) {
      try {
        comparison.acceptBalance(record.partition(), balances.decode(record.value()));
      } catch (UndecodableException e) {
        // not a balance update: the revenue job dead-letters it; nothing to count
      }
    }
    for (ConsumerRecord<byte[], byte[]> record : outputRecords) {
      try {
        if (record.topic().equals(settings.revenueTopic())) {
          comparison.acceptWindow(revenue.decode(record.value()));
        } else {
          comparison.acceptLate(balances.decode(record.value()));
        }
      } catch (UndecodableException e) {
        throw new AuditException(
            "undecodable record in "
                + record.topic()
                + " at offset "
                + record.offset()
                + ": "
                + e.getMessage());
      }
    }
    return comparison.counts(settings.drained());
  }

  private Consumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(
        LedgerAudit.consumerConfig(settings.kafka()),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  private static List<TopicPartition> assignFromStart(
      Consumer<byte[], byte[]> consumer, List<String> topics) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        throw new AuditException("topic " + topic + " does not exist");
      }
      infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return partitions;
  }

  /** Reads the assigned partitions up to their current (read_committed) end offsets. */
  private static void readToEnd(
      Consumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions,
      List<ConsumerRecord<byte[], byte[]>> into) {
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    long stallDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      int before = into.size();
      consumer.poll(POLL).forEach(into::add);
      if (into.size() > before) {
        stallDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      } else if (System.nanoTime() > stallDeadline) {
        throw new AuditException("Kafka stopped answering while reading " + partitions);
      }
    }
  }
}
