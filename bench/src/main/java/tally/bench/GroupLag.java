package tally.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group's committed offsets are behind the end of a topic. The ledger job
 * commits its offsets when a checkpoint completes, i.e. when its exactly-once output for them is
 * committed too: lag 0 means the run has caught up and everything is visible.
 */
final class GroupLag {
  private final Admin admin;

  GroupLag(Admin admin) {
    this.admin = admin;
  }

  long lag(String group, String topic, int partitions) throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    long lag = 0;
    for (TopicPartition partition : latest.keySet()) {
      OffsetAndMetadata offset = committed.get(partition);
      lag += ends.get(partition).offset() - (offset == null ? 0 : offset.offset());
    }
    return lag;
  }

  /**
   * Creates the topics and waits until every partition has a leader: producing to a partition
   * the broker does not lead yet fails and retries, and early retries of an idempotent producer
   * can end in an out-of-order sequence error.
   */
  void createTopics(List<String> topics, int partitions) throws ExecutionException, InterruptedException {
    admin.createTopics(topics.stream()
        .map(topic -> new org.apache.kafka.clients.admin.NewTopic(topic, partitions, (short) 1)).toList()).all().get();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (!allLed(topics, partitions)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics " + topics + " have no leaders after 60 s");
      }
      Thread.sleep(50);
    }
  }

  private boolean allLed(List<String> topics, int partitions) throws InterruptedException {
    try {
      return admin.describeTopics(topics).allTopicNames().get().values().stream()
          .allMatch(topic -> topic.partitions().size() == partitions
              && topic.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
    } catch (ExecutionException notYet) {
      return false;
    }
  }

  void deleteTopics(List<String> topics) throws ExecutionException, InterruptedException {
    admin.deleteTopics(topics).all().get();
  }
}
