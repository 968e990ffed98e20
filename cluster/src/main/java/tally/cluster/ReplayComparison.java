package tally.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.avro.UndecodableException;
import tally.connectors.kafka.KafkaClientProperties.ClientKind;
import tally.connectors.kafka.KafkaConnection;
import tally.schemas.BalanceUpdate;

/**
 * Compares a replay's balance updates with the live ones, keyed by (accountId, seq) as a consumer
 * would de-duplicate: each re-emitted update must equal the original with the same key (the rules
 * are deterministic), none may appear twice, and a replay has caught up once, for every account it
 * touched, it reached the live output's highest seq.
 */
public final class ReplayComparison {

  /** What {@link #compare} found. */
  public record Result(
      long liveUpdates,
      long replayedUpdates,
      long identical,
      long differing,
      long duplicated,
      long notInLive,
      long accounts,
      long accountsBehind,
      List<String> examples) {

    /** No re-emitted update differs from its original and none is duplicated. */
    public boolean consistent() {
      return replayedUpdates > 0 && differing == 0 && duplicated == 0;
    }

    /** Every account the replay touched reached the live output's highest seq. */
    public boolean caughtUp() {
      return accounts > 0 && accountsBehind == 0;
    }

    public String toText() {
      StringBuilder text =
          new StringBuilder(
              String.format(
                  "Replay vs live by (accountId, seq): %,d replayed, %,d identical to the live"
                      + " update, %,d differing, %,d duplicated, %,d not (yet) in the live output;"
                      + " %,d accounts, %,d behind the live output%n",
                  replayedUpdates,
                  identical,
                  differing,
                  duplicated,
                  notInLive,
                  accounts,
                  accountsBehind));
      examples.forEach(e -> text.append("  ").append(e).append(System.lineSeparator()));
      text.append(consistent() ? "REPLAY CONSISTENT" : "REPLAY INCONSISTENT")
          .append(caughtUp() ? " (caught up)" : " (not caught up)")
          .append(System.lineSeparator());
      return text.toString();
    }
  }

  private record Key(String accountId, long seq) {}

  private final KafkaConnection kafka;
  private final AvroSingleObjectSerde<BalanceUpdate> serde =
      AvroSingleObjectSerde.forType(BalanceUpdate.class);

  public ReplayComparison(KafkaConnection kafka) {
    this.kafka = kafka;
  }

  public Result compare(String liveTopic, String replayTopic) {
    Map<Key, BalanceUpdate> live = new HashMap<>();
    Map<String, Long> liveMaxSeq = new HashMap<>();
    for (BalanceUpdate update : readAll(liveTopic)) {
      live.put(new Key(update.getAccountId(), update.getSeq()), update);
      liveMaxSeq.merge(update.getAccountId(), update.getSeq(), Math::max);
    }
    Map<Key, Integer> seen = new HashMap<>();
    Map<String, Long> replayMaxSeq = new HashMap<>();
    long replayed = 0;
    long identical = 0;
    long differing = 0;
    long duplicated = 0;
    long notInLive = 0;
    List<String> examples = new ArrayList<>();
    for (BalanceUpdate update : readAll(replayTopic)) {
      replayed++;
      Key key = new Key(update.getAccountId(), update.getSeq());
      replayMaxSeq.merge(update.getAccountId(), update.getSeq(), Math::max);
      if (seen.merge(key, 1, Integer::sum) > 1) {
        duplicated++;
        example(examples, "duplicated in the replay: " + key);
        continue;
      }
      BalanceUpdate original = live.get(key);
      if (original == null) {
        notInLive++;
      } else if (original.equals(update)) {
        identical++;
      } else {
        differing++;
        example(
            examples,
            "differs from the live update " + key + ": live " + original + ", replay " + update);
      }
    }
    long behind =
        replayMaxSeq.entrySet().stream()
            .filter(e -> e.getValue() < liveMaxSeq.getOrDefault(e.getKey(), 0L))
            .count();
    return new Result(
        live.size(),
        replayed,
        identical,
        differing,
        duplicated,
        notInLive,
        replayMaxSeq.size(),
        behind,
        examples);
  }

  private static void example(List<String> examples, String text) {
    if (examples.size() < 5) {
      examples.add(text);
    }
  }

  /**
   * Everything committed in the topic now (read_committed, from the beginning to the current end).
   */
  private List<BalanceUpdate> readAll(String topic) {
    List<BalanceUpdate> updates = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            kafka.config(
                ClientKind.TOOL_CONSUMER,
                Map.of(
                    ConsumerConfig.CLIENT_ID_CONFIG,
                    "tally-replay-verify",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    false,
                    ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                    false)),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist");
      }
      infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(
              "could not read " + topic + " to its end within 2 minutes");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          try {
            updates.add(serde.decode(record.value()));
          } catch (UndecodableException e) {
            throw new IllegalStateException(
                "undecodable balance update in " + topic + " at offset " + record.offset(), e);
          }
        }
      }
    }
    return updates;
  }
}
