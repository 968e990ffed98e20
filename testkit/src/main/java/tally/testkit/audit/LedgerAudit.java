package tally.testkit.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.connectors.kafka.KafkaClientProperties.ClientKind;
import tally.connectors.kafka.KafkaConnection;
import tally.connectors.kafka.KafkaFailures;

/**
 * The spec's audit against a live Kafka: snapshots the transactions topic up to its current end
 * offsets, recomputes with {@link LedgerOracle} what the ledger job must have written, then reads
 * the balances, alerts and dead-letter topics ({@code read_committed}, all partitions from the
 * beginning, no consumer group) until every expected record has been found or the timeout expires,
 * reads on to the end offsets to catch late extras, and reports. When something is lost, it reads
 * the outputs once more with {@code read_uncommitted} and says how many of the lost records are in
 * the topic only inside transactions that were aborted (the job wrote them and an exactly-once
 * commit failed) and how many were never written at all: the two point at different culprits.
 *
 * <p>Run it once the producers have stopped: outputs of input records written after the snapshot
 * count as mismatched (the report notes it when the input grew).
 *
 * <pre>{@code
 * AuditReport report = new LedgerAudit(AuditSettings.defaults("localhost:9092")).run();
 * System.out.print(report.toText());
 * }</pre>
 */
public final class LedgerAudit {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerAudit.class);

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
  private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final long TOPIC_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(2);

  /**
   * Reading up to known end offsets must advance; this long without progress means Kafka is not
   * answering.
   */
  private static final long STALL_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);

  private static final String READ_COMMITTED = "read_committed";
  private static final String READ_UNCOMMITTED = "read_uncommitted";

  private final AuditSettings settings;
  private final Function<String, Consumer<byte[], byte[]>> consumers;

  public LedgerAudit(AuditSettings settings) {
    this(
        settings,
        isolation ->
            new KafkaConsumer<>(
                consumerConfig(settings.kafka(), isolation),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer()));
  }

  /**
   * @param consumers a consumer for an isolation level: called for the input and the output
   *     consumers ({@code read_committed}) and, only when something is lost, once more for a {@code
   *     read_uncommitted} one
   */
  LedgerAudit(AuditSettings settings, Function<String, Consumer<byte[], byte[]>> consumers) {
    this.settings = settings;
    this.consumers = consumers;
  }

  static Properties consumerConfig(KafkaConnection kafka) {
    return consumerConfig(kafka, READ_COMMITTED);
  }

  private static Properties consumerConfig(KafkaConnection kafka, String isolation) {
    Map<String, Object> tally = new LinkedHashMap<>();
    tally.put(ConsumerConfig.CLIENT_ID_CONFIG, "tally-audit");
    tally.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    tally.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // no group: nothing to commit
    tally.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    tally.put(
        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // auditing must not create topics
    tally.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    tally.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
    return kafka.config(ClientKind.TOOL_CONSUMER, tally);
  }

  /**
   * Runs the audit.
   *
   * @throws AuditException when Kafka cannot be reached or stops answering
   */
  public AuditReport run() {
    List<String> notes = new ArrayList<>();
    try (Consumer<byte[], byte[]> input = consumers.apply(READ_COMMITTED);
        Consumer<byte[], byte[]> output = consumers.apply(READ_COMMITTED)) {
      InputSnapshot snapshot = readInput(input, notes);
      OutputComparison comparison = new OutputComparison(snapshot.oracle(), settings.inputTopic());
      long waitStart = System.nanoTime();
      OutputReader reader = new OutputReader(output, comparison);
      boolean complete = reader.awaitEverythingFound();
      reader.readToEnd(notes);
      if (!settings.settle().isZero()) {
        reader.pollFor(settings.settle());
        reader.readToEnd(notes);
      }
      reader.noteMissingTopics(notes);
      noteInputGrowth(input, snapshot, notes);
      if (!comparison.nothingLost()) {
        notes.addAll(whereTheLostAre(snapshot.oracle(), comparison));
      }
      AuditReport report =
          comparison.report(!complete, Duration.ofNanos(System.nanoTime() - waitStart), notes);
      LOG.info("Audit: {}", report.verdict());
      return report;
    } catch (KafkaException e) {
      throw new AuditException(
          "the audit failed: "
              + KafkaFailures.explain(e, settings.bootstrapServers(), settings.kafka().client()),
          e);
    }
  }

  /**
   * Reads the outputs with {@code read_uncommitted}: a lost record found there was written inside a
   * transaction that was aborted (or is still open); one not found there was never written.
   */
  private List<String> whereTheLostAre(LedgerOracle oracle, OutputComparison committed) {
    OutputComparison everything = new OutputComparison(oracle, settings.inputTopic());
    List<String> unread = new ArrayList<>();
    try (Consumer<byte[], byte[]> uncommitted = consumers.apply(READ_UNCOMMITTED)) {
      new OutputReader(uncommitted, everything).readToEnd(unread);
    }
    List<String> notes = new ArrayList<>();
    List<OutputCounts> lostAfterCommit = committed.report().outputs();
    List<OutputCounts> lostAtAll = everything.report().outputs();
    for (int i = 0; i < lostAfterCommit.size(); i++) {
      long lost = lostAfterCommit.get(i).lost();
      if (lost == 0) {
        continue;
      }
      long neverWritten = Math.min(lost, lostAtAll.get(i).lost());
      notes.add(
          String.format(
              "%s: of the %d lost, %d are in the topic only inside aborted (or still open)"
                  + " transactions and %d were never written",
              lostAfterCommit.get(i).output(), lost, lost - neverWritten, neverWritten));
    }
    notes.add(
        "lost inside aborted transactions: the job wrote them, but a transaction that a completed"
            + " checkpoint counted on was aborted instead of committed (see the sink's 'Unable to"
            + " commit transaction' lines in the TaskManager logs); never written: the job did not"
            + " write them");
    notes.addAll(unread);
    LOG.warn("Audit: {}", String.join("; ", notes));
    return notes;
  }

  private record InputSnapshot(LedgerOracle oracle, Map<TopicPartition, Long> endOffsets) {}

  private InputSnapshot readInput(Consumer<byte[], byte[]> consumer, List<String> notes) {
    String topic = settings.inputTopic();
    LedgerOracle oracle = new LedgerOracle();
    List<TopicPartition> partitions = partitionsOf(consumer, topic);
    if (partitions.isEmpty()) {
      notes.add("input topic " + topic + " does not exist: nothing is expected");
      LOG.warn("Audit: input topic {} does not exist", topic);
      return new InputSnapshot(oracle, Map.of());
    }
    consumer.assign(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, METADATA_TIMEOUT);
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, METADATA_TIMEOUT);
    consumer.seekToBeginning(partitions);
    long total = 0;
    Set<TopicPartition> pending = new HashSet<>();
    for (TopicPartition partition : partitions) {
      long first = begin.get(partition);
      if (first > 0) {
        notes.add(
            "input partition "
                + partition
                + " starts at offset "
                + first
                + ": earlier records were deleted, the job may have seen more than the audit");
      }
      total += end.get(partition) - first;
      if (end.get(partition) > first) {
        pending.add(partition);
      }
    }
    LOG.info(
        "Audit: reading {} input records from {} ({} partitions)", total, topic, partitions.size());
    Progress progress = new Progress();
    long read = 0;
    while (!pending.isEmpty()) {
      ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
      for (TopicPartition partition : records.partitions()) {
        long limit = end.get(partition);
        for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
          if (record.offset() < limit) { // later records are not part of the snapshot
            oracle.accept(record.partition(), record.offset(), record.key(), record.value());
            read++;
          }
        }
      }
      boolean advanced = removeFinished(consumer, pending, end) | !records.isEmpty();
      if (advanced) {
        progress.advanced();
      } else if (progress.stalled()) {
        throw new AuditException(
            "no progress reading input topic "
                + topic
                + " for "
                + TimeUnit.NANOSECONDS.toSeconds(STALL_LIMIT_NANOS)
                + " s (read "
                + read
                + " of "
                + total
                + " records)");
      }
      if (progress.logDue()) {
        LOG.info("Audit: read {} of {} input records", read, total);
      }
    }
    consumer.pause(partitions);
    LOG.info(
        "Audit: {} input records: expecting {} balance updates, {} alerts, {} dead letters; {}"
            + " duplicates dropped",
        oracle.inputRecords(),
        oracle.expectedBalanceCount(),
        oracle.expectedAlertCount(),
        oracle.expectedDeadLetterCount(),
        oracle.duplicatesDropped());
    return new InputSnapshot(oracle, end);
  }

  private void noteInputGrowth(
      Consumer<byte[], byte[]> input, InputSnapshot snapshot, List<String> notes) {
    if (snapshot.endOffsets().isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> now =
        input.endOffsets(snapshot.endOffsets().keySet(), METADATA_TIMEOUT);
    long grown = 0;
    for (Map.Entry<TopicPartition, Long> entry : snapshot.endOffsets().entrySet()) {
      grown += now.getOrDefault(entry.getKey(), entry.getValue()) - entry.getValue();
    }
    if (grown > 0) {
      notes.add(
          "the input grew by "
              + grown
              + " records during the audit; outputs for them count as "
              + "mismatched: audit after the producers stop");
      LOG.warn(
          "Audit: input topic {} grew by {} records during the audit",
          settings.inputTopic(),
          grown);
    }
  }

  /** Removes the partitions whose position reached their end offset; true if any did. */
  private static boolean removeFinished(
      Consumer<byte[], byte[]> consumer,
      Set<TopicPartition> pending,
      Map<TopicPartition, Long> end) {
    boolean removed = false;
    for (Iterator<TopicPartition> it = pending.iterator(); it.hasNext(); ) {
      TopicPartition partition = it.next();
      if (consumer.position(partition, METADATA_TIMEOUT) >= end.get(partition)) {
        it.remove();
        consumer.pause(List.of(partition)); // fetch nothing more from it
        removed = true;
      }
    }
    return removed;
  }

  private static List<TopicPartition> partitionsOf(
      Consumer<byte[], byte[]> consumer, String topic) {
    List<PartitionInfo> infos = consumer.listTopics(METADATA_TIMEOUT).get(topic);
    if (infos == null) {
      // Not listed: missing, or hidden from a principal without an ACL for it. Asked by name, Kafka
      // tells the two apart (TopicAuthorizationException), so an audit that may not read a topic
      // fails instead of finding nothing to expect.
      infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
    }
    List<TopicPartition> partitions = new ArrayList<>();
    if (infos != null) {
      for (PartitionInfo info : infos) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
    }
    return partitions;
  }

  /** Reads the three output topics into the comparison, picking up topics that appear late. */
  private final class OutputReader {
    private final Consumer<byte[], byte[]> consumer;
    private final OutputComparison comparison;
    private final Set<String> missingTopics = new LinkedHashSet<>();
    private final Set<TopicPartition> assigned = new HashSet<>();
    private long nextRefreshNanos;
    private boolean started;

    OutputReader(Consumer<byte[], byte[]> consumer, OutputComparison comparison) {
      this.consumer = consumer;
      this.comparison = comparison;
      missingTopics.addAll(
          List.of(settings.balancesTopic(), settings.alertsTopic(), settings.dlqTopic()));
      refreshTopics();
      missingTopics.forEach(topic -> LOG.info("Audit: output topic {} does not exist yet", topic));
      started = true;
    }

    /** Polls until nothing expected is lost; false if the timeout came first. */
    boolean awaitEverythingFound() {
      long deadline = System.nanoTime() + settings.timeout().toNanos();
      Progress progress = new Progress();
      while (!comparison.nothingLost()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          LOG.warn(
              "Audit: gave up waiting after {} s: {}",
              settings.timeout().toSeconds(),
              comparison.progress());
          return false;
        }
        pollOnce();
        if (progress.logDue()) {
          LOG.info(
              "Audit: waiting for outputs ({} s left): {}",
              TimeUnit.NANOSECONDS.toSeconds(left),
              comparison.progress());
        }
      }
      LOG.info("Audit: every expected output found: {}", comparison.progress());
      return true;
    }

    /** Keeps reading for {@code duration}, for records committed late. */
    void pollFor(Duration duration) {
      long until = System.nanoTime() + duration.toNanos();
      while (System.nanoTime() - until < 0) {
        pollOnce();
      }
    }

    /**
     * Reads every partition up to its end offset as of now (late extras show up as duplicated or
     * mismatched).
     */
    void readToEnd(List<String> notes) {
      if (assigned.isEmpty()) {
        return;
      }
      Map<TopicPartition, Long> end = consumer.endOffsets(assigned, METADATA_TIMEOUT);
      Set<TopicPartition> pending = new HashSet<>(assigned);
      pending.removeIf(
          partition -> consumer.position(partition, METADATA_TIMEOUT) >= end.get(partition));
      Progress progress = new Progress();
      while (!pending.isEmpty()) {
        ConsumerRecords<byte[], byte[]> records = poll();
        boolean advanced = !records.isEmpty();
        for (Iterator<TopicPartition> it = pending.iterator(); it.hasNext(); ) {
          TopicPartition partition = it.next();
          if (consumer.position(partition, METADATA_TIMEOUT) >= end.get(partition)) {
            it.remove();
            advanced = true;
          }
        }
        if (advanced) {
          progress.advanced();
        } else if (progress.stalled()) {
          notes.add("could not read " + pending + " to their end offsets");
          LOG.warn(
              "Audit: no progress reading {} to their end offsets; reporting what was read",
              pending);
          return;
        }
      }
    }

    void noteMissingTopics(List<String> notes) {
      missingTopics.forEach(topic -> notes.add("output topic " + topic + " does not exist"));
    }

    private void pollOnce() {
      if (!missingTopics.isEmpty() && System.nanoTime() - nextRefreshNanos >= 0) {
        refreshTopics();
      }
      poll();
    }

    private ConsumerRecords<byte[], byte[]> poll() {
      if (assigned.isEmpty()) { // nothing to poll yet: wait for the topics to appear
        sleep(POLL);
        return ConsumerRecords.empty();
      }
      ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
      for (ConsumerRecord<byte[], byte[]> record : records) {
        dispatch(record);
      }
      return records;
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> record) {
      String topic = record.topic();
      if (topic.equals(settings.balancesTopic())) {
        comparison.acceptBalance(record.partition(), record.offset(), record.key(), record.value());
      } else if (topic.equals(settings.alertsTopic())) {
        comparison.acceptAlert(record.partition(), record.offset(), record.key(), record.value());
      } else if (topic.equals(settings.dlqTopic())) {
        comparison.acceptDeadLetter(
            record.partition(), record.offset(), record.key(), record.value(), headersOf(record));
      }
    }

    private void refreshTopics() {
      nextRefreshNanos = System.nanoTime() + TOPIC_REFRESH_NANOS;
      List<TopicPartition> added = new ArrayList<>();
      for (Iterator<String> it = missingTopics.iterator(); it.hasNext(); ) {
        String topic = it.next();
        List<TopicPartition> partitions = partitionsOf(consumer, topic);
        if (!partitions.isEmpty()) {
          it.remove();
          added.addAll(partitions);
          if (started) {
            LOG.info("Audit: output topic {} appeared", topic);
          }
        }
      }
      if (!added.isEmpty()) {
        assigned.addAll(added);
        consumer.assign(assigned); // keeps the positions of partitions already assigned
        consumer.seekToBeginning(added);
      }
    }
  }

  private static Map<String, byte[]> headersOf(ConsumerRecord<byte[], byte[]> record) {
    Map<String, byte[]> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), header.value());
    }
    return headers;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditException("Audit interrupted", e);
    }
  }

  /** Progress-line timing and stall detection for one reading loop. */
  private static final class Progress {
    private long nextLogNanos = System.nanoTime() + PROGRESS_INTERVAL_NANOS;
    private long lastAdvanceNanos = System.nanoTime();

    boolean logDue() {
      long now = System.nanoTime();
      if (now - nextLogNanos < 0) {
        return false;
      }
      nextLogNanos = now + PROGRESS_INTERVAL_NANOS;
      return true;
    }

    void advanced() {
      lastAdvanceNanos = System.nanoTime();
    }

    /** No advance for longer than the stall limit. */
    boolean stalled() {
      return System.nanoTime() - lastAdvanceNanos > STALL_LIMIT_NANOS;
    }
  }
}
