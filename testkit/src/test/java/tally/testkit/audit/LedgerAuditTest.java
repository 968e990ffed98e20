package tally.testkit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import tally.testkit.audit.Scenario.Out;

/** The Kafka-reading loop against MockConsumers (real brokers are the end-to-end tests' job). */
class LedgerAuditTest {

  private static final AuditSettings SETTINGS =
      AuditSettings.defaults("unused:9092").withTimeout(Duration.ofMillis(300));

  private final Scenario scenario = new Scenario();

  @Test
  void correctOutputsAreClean() {
    AuditReport report = audit(inputConsumer(), outputConsumer(allOutputs(), List.of()));

    assertThat(report.clean()).isTrue();
    assertThat(report.timedOut()).isFalse();
    assertThat(report.inputRecords()).isEqualTo(scenario.input.size());
    assertThat(report.outputs()).extracting(OutputCounts::found).containsExactly(4L, 2L, 4L);
    assertThat(report.notes()).isEmpty();
  }

  @Test
  void aMissingOutputRecordFailsAfterTheTimeout() {
    Map<String, List<Out>> outputs = allOutputs();
    outputs.get(SETTINGS.balancesTopic()).remove(0);

    AuditReport report =
        audit(
            inputConsumer(),
            outputConsumer(outputs, List.of()),
            outputConsumer(outputs, List.of()));

    assertThat(report.clean()).isFalse();
    assertThat(report.timedOut()).isTrue();
    assertThat(report.balances().lost()).isEqualTo(1);
    assertThat(report.verdict()).startsWith("AUDIT FAILED: balances 1 lost (gave up waiting after");
    assertThat(report.notes())
        .contains(
            "balances: of the 1 lost, 0 are in the topic only inside aborted (or still open)"
                + " transactions and 1 were never written");
  }

  @Test
  void extrasCommittedAfterEverythingWasFoundAreCaught() {
    Out late = scenario.balances.get(0);

    AuditReport report =
        audit(
            inputConsumer(),
            outputConsumer(allOutputs(), List.of(Map.entry(SETTINGS.balancesTopic(), late))));

    assertThat(report.timedOut()).isFalse();
    assertThat(report.balances().duplicated()).isEqualTo(1);
    assertThat(report.verdict()).isEqualTo("AUDIT FAILED: balances 1 duplicated");
  }

  @Test
  void missingTopicsAreNotedAndNothingIsExpected() {
    MockConsumer<byte[], byte[]> noTopics = new MockConsumer<>("earliest");
    MockConsumer<byte[], byte[]> noOutputs = new MockConsumer<>("earliest");

    AuditReport report = audit(noTopics, noOutputs);

    assertThat(report.clean()).isTrue();
    assertThat(report.notes())
        .hasSize(4)
        .first()
        .asString()
        .contains("tally.transactions does not exist");
  }

  @Test
  void kafkaFailuresBecomeAuditExceptions() {
    MockConsumer<byte[], byte[]> input = inputConsumer();
    input.setPollException(new KafkaException("broker gone"));

    assertThatThrownBy(() -> audit(input, new MockConsumer<>("earliest")))
        .isInstanceOf(AuditException.class)
        .hasMessageContaining("broker gone");
  }

  private AuditReport audit(Consumer<byte[], byte[]> input, Consumer<byte[], byte[]> output) {
    return audit(input, output, new MockConsumer<>("earliest"));
  }

  /** {@code uncommitted}: what a read_uncommitted reader of the outputs sees. */
  private AuditReport audit(
      Consumer<byte[], byte[]> input,
      Consumer<byte[], byte[]> output,
      Consumer<byte[], byte[]> uncommitted) {
    ArrayDeque<Consumer<byte[], byte[]>> consumers =
        new ArrayDeque<>(List.of(input, output, uncommitted));
    return new LedgerAudit(SETTINGS, isolation -> consumers.removeFirst()).run();
  }

  /** The scenario's input: partitions 0 and 1 of the transactions topic. */
  private MockConsumer<byte[], byte[]> inputConsumer() {
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    String topic = SETTINGS.inputTopic();
    declare(consumer, topic, 2);
    Map<TopicPartition, Long> end = new HashMap<>();
    for (InputRecord record : scenario.input) {
      end.merge(new TopicPartition(topic, record.partition()), record.offset() + 1, Math::max);
    }
    consumer.updateBeginningOffsets(
        Map.of(new TopicPartition(topic, 0), 0L, new TopicPartition(topic, 1), 0L));
    consumer.updateEndOffsets(end);
    consumer.schedulePollTask(
        () ->
            scenario.input.forEach(
                record ->
                    consumer.addRecord(
                        new ConsumerRecord<>(
                            topic,
                            record.partition(),
                            record.offset(),
                            record.key(),
                            record.value()))));
    return consumer;
  }

  private Map<String, List<Out>> allOutputs() {
    Map<String, List<Out>> outputs = new HashMap<>();
    outputs.put(SETTINGS.balancesTopic(), new java.util.ArrayList<>(scenario.balances));
    outputs.put(SETTINGS.alertsTopic(), new java.util.ArrayList<>(scenario.alerts));
    outputs.put(SETTINGS.dlqTopic(), new java.util.ArrayList<>(scenario.deadLetters));
    return outputs;
  }

  /**
   * One partition per output topic holding {@code outputs}; {@code late} records arrive on the
   * second poll.
   */
  private static MockConsumer<byte[], byte[]> outputConsumer(
      Map<String, List<Out>> outputs, List<Map.Entry<String, Out>> late) {
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    Map<TopicPartition, Long> begin = new HashMap<>();
    Map<TopicPartition, Long> end = new HashMap<>();
    for (Map.Entry<String, List<Out>> topic : outputs.entrySet()) {
      declare(consumer, topic.getKey(), 1);
      TopicPartition partition = new TopicPartition(topic.getKey(), 0);
      begin.put(partition, 0L);
      long lateCount = late.stream().filter(entry -> entry.getKey().equals(topic.getKey())).count();
      end.put(partition, topic.getValue().size() + lateCount);
    }
    consumer.updateBeginningOffsets(begin);
    consumer.updateEndOffsets(end);
    consumer.schedulePollTask(
        () ->
            outputs.forEach(
                (topic, records) -> {
                  for (int offset = 0; offset < records.size(); offset++) {
                    consumer.addRecord(record(topic, offset, records.get(offset)));
                  }
                }));
    consumer.schedulePollTask(
        () ->
            late.forEach(
                entry ->
                    consumer.addRecord(
                        record(
                            entry.getKey(),
                            outputs.get(entry.getKey()).size(),
                            entry.getValue()))));
    return consumer;
  }

  private static ConsumerRecord<byte[], byte[]> record(String topic, long offset, Out out) {
    RecordHeaders headers = new RecordHeaders();
    out.headers().forEach(headers::add);
    return new ConsumerRecord<>(
        topic,
        0,
        offset,
        0L,
        TimestampType.CREATE_TIME,
        -1,
        -1,
        out.key(),
        out.value(),
        headers,
        Optional.empty());
  }

  private static void declare(MockConsumer<byte[], byte[]> consumer, String topic, int partitions) {
    Node node = new Node(0, "localhost", 9092);
    List<PartitionInfo> infos = new java.util.ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      infos.add(new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node}));
    }
    consumer.updatePartitions(topic, infos);
  }
}
