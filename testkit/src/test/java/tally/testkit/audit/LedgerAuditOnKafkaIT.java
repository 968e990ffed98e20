package tally.testkit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tally.jobs.common.Topics;
import tally.kafka.local.KafkaClusterExtension;
import tally.testkit.generate.GeneratorSettings;
import tally.testkit.generate.TransactionProducer;

/**
 * The generator and the audit against a real broker, with this test playing a correct ledger job:
 * it writes the expected outputs in Kafka transactions (plus an aborted one that read_committed
 * must not see), after the audit has started waiting.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LedgerAuditOnKafkaIT {

  @RegisterExtension static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void auditsTheGeneratorsRecordsAgainstTransactionalOutputs() throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    GeneratorSettings settings =
        GeneratorSettings.defaults()
            .withCount(3_000)
            .withRate(0)
            .withAccounts(100)
            .withDuplicateRatio(0.02)
            .withInvalidRatio(0.01)
            .withPartitions(3);
    try (TransactionProducer producer = TransactionProducer.connect(bootstrap, settings)) {
      assertThat(producer.run()).isEqualTo(3_000);
      assertThat(producer.acknowledged()).isEqualTo(3_000);
    }
    AuditSettings auditSettings =
        AuditSettings.defaults(bootstrap).withTimeout(Duration.ofSeconds(60));

    // the audit starts before the output topics exist and waits for them
    CompletableFuture<AuditReport> waiting =
        CompletableFuture.supplyAsync(() -> new LedgerAudit(auditSettings).run());
    LedgerOracle expected = LedgerOracle.of(readAll(bootstrap, settings.topic()));
    for (String topic :
        List.of(
            auditSettings.balancesTopic(), auditSettings.alertsTopic(), auditSettings.dlqTopic())) {
      KAFKA.createTopic(topic, 2);
    }
    try (KafkaProducer<byte[], byte[]> job = transactionalProducer(bootstrap)) {
      job.initTransactions();
      job.beginTransaction();
      outputsOf(expected, auditSettings).forEach(job::send);
      job.commitTransaction();
      job.beginTransaction(); // a failed attempt: read_committed readers must not see it
      outputsOf(expected, auditSettings).stream().limit(10).forEach(job::send);
      job.flush(); // in the log before the abort: an abort drops batches not yet sent
      job.abortTransaction();
    }

    AuditReport report = waiting.get(90, TimeUnit.SECONDS);

    assertThat(report.verdict()).isEqualTo("AUDIT CLEAN");
    assertThat(report.inputRecords()).isEqualTo(3_000);
    assertThat(report.balances().found()).isEqualTo(expected.expectedBalanceCount()).isPositive();
    assertThat(report.alerts().found()).isEqualTo(expected.expectedAlertCount()).isPositive();
    assertThat(report.deadLetters().found())
        .isEqualTo(expected.expectedDeadLetterCount())
        .isPositive();
    assertThat(report.notes()).isEmpty();

    // one committed extra copy: the audit must fail
    try (KafkaProducer<byte[], byte[]> job = transactionalProducer(bootstrap)) {
      job.initTransactions();
      job.beginTransaction();
      job.send(outputsOf(expected, auditSettings).get(0));
      job.commitTransaction();
    }
    AuditReport again = new LedgerAudit(auditSettings.withTimeout(Duration.ofSeconds(10))).run();

    assertThat(again.clean()).isFalse();
    assertThat(again.balances().duplicated()).isEqualTo(1);
    assertThat(again.verdict()).isEqualTo("AUDIT FAILED: balances 1 duplicated");
  }

  @Test
  void saysWhichLostRecordsWereWrittenInAnAbortedTransactionAndWhichNever() throws Exception {
    String bootstrap = KAFKA.bootstrapServers();
    Topics topics = Topics.underPrefix("lost");
    GeneratorSettings settings =
        GeneratorSettings.defaults()
            .withTopic(topics.transactions())
            .withCount(500)
            .withRate(0)
            .withAccounts(20)
            .withDuplicateRatio(0)
            .withInvalidRatio(0)
            .withPartitions(2);
    try (TransactionProducer producer = TransactionProducer.connect(bootstrap, settings)) {
      assertThat(producer.run()).isEqualTo(500);
    }
    AuditSettings auditSettings =
        AuditSettings.defaults(bootstrap).withTopics(topics).withTimeout(Duration.ofSeconds(5));
    for (String topic :
        List.of(
            auditSettings.balancesTopic(), auditSettings.alertsTopic(), auditSettings.dlqTopic())) {
      KAFKA.createTopic(topic, 2);
    }
    List<ProducerRecord<byte[], byte[]>> outputs =
        outputsOf(LedgerOracle.of(readAll(bootstrap, settings.topic())), auditSettings);
    assertThat(outputs.get(0).topic()).isEqualTo(auditSettings.balancesTopic());
    try (KafkaProducer<byte[], byte[]> job = transactionalProducer(bootstrap)) {
      job.initTransactions();
      job.beginTransaction(); // what an exactly-once commit that failed leaves behind
      job.send(outputs.get(0));
      job.flush(); // in the log before the abort: an abort drops batches not yet sent
      job.abortTransaction();
      job.beginTransaction(); // everything else but outputs 0 and 1
      outputs.subList(2, outputs.size()).forEach(job::send);
      job.commitTransaction();
    }

    AuditReport report = new LedgerAudit(auditSettings).run();

    assertThat(report.balances().lost()).isEqualTo(2);
    assertThat(report.notes())
        .contains(
            "balances: of the 2 lost, 1 are in the topic only inside aborted (or still open)"
                + " transactions and 1 were never written");
  }

  /** What a correct ledger job writes for {@code expected}. */
  private static List<ProducerRecord<byte[], byte[]>> outputsOf(
      LedgerOracle expected, AuditSettings topics) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    expected
        .expectedBalances()
        .forEach(
            update ->
                records.add(
                    new ProducerRecord<>(
                        topics.balancesTopic(),
                        utf8(update.getAccountId()),
                        Scenario.BALANCES.encode(update))));
    expected
        .expectedAlerts()
        .forEach(
            alert ->
                records.add(
                    new ProducerRecord<>(
                        topics.alertsTopic(),
                        utf8(alert.getAccountId()),
                        Scenario.ALERTS.encode(alert))));
    for (ExpectedDeadLetter letter : expected.expectedDeadLetters()) {
      ProducerRecord<byte[], byte[]> record =
          new ProducerRecord<>(topics.dlqTopic(), letter.key(), letter.value());
      record
          .headers()
          .add("tally.error", utf8(letter.reason().code()))
          .add("tally.error.detail", utf8("rejected by the test"))
          .add("tally.source.topic", utf8(topics.inputTopic()))
          .add("tally.source.partition", utf8(Integer.toString(letter.partition())))
          .add("tally.source.offset", utf8(Long.toString(letter.offset())));
      records.add(record);
    }
    return records;
  }

  private static List<InputRecord> readAll(String bootstrap, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            LedgerAudit.consumerConfig(tally.connectors.kafka.KafkaConnection.to(bootstrap)),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, TIMEOUT).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
      List<InputRecord> records = new ArrayList<>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          records.add(
              new InputRecord(record.partition(), record.offset(), record.key(), record.value()));
        }
      }
      records.sort(
          java.util.Comparator.comparingInt(InputRecord::partition)
              .thenComparingLong(InputRecord::offset));
      return records;
    }
  }

  private static KafkaProducer<byte[], byte[]> transactionalProducer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "fake-ledger-job",
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            (int) TIMEOUT.toMillis()),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
