package tally.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Java Flight Recorder around a run's steady phase, summarised as text: where the CPU goes (by area
 * of the pipeline and by hottest methods), what allocates most, and GC time. The recording itself
 * is kept next to the run for JDK Mission Control.
 */
final class JfrProfile {
  private static final Logger LOG = LoggerFactory.getLogger(JfrProfile.class);

  /** An area counts a sample when any frame of its stack is in it (inclusive time). */
  private static final Map<String, List<String>> AREAS = new LinkedHashMap<>();

  static {
    AREAS.put(
        "Avro decode of transactions",
        List.of("tally.connectors.avro.AvroSingleObjectSerde.decode"));
    AREAS.put(
        "Avro encode of outputs", List.of("tally.connectors.avro.AvroSingleObjectSerde.encode"));
    AREAS.put(
        "ledger rules (LedgerFunction)",
        List.of("tally.jobs.ledger.LedgerFunction.processElement"));
    AREAS.put(
        "  keyed state (RocksDB, TTL)",
        List.of(
            "org.rocksdb.",
            "org.apache.flink.state.rocksdb.",
            "org.apache.flink.runtime.state.ttl."));
    AREAS.put(
        "  SHA-256 fingerprint", List.of("tally.jobs.ledger.LedgerFunction.contentFingerprint"));
    AREAS.put("record copies between chained operators", List.of("*Serializer.copy"));
    AREAS.put(
        "serialisation into network buffers",
        List.of("org.apache.flink.streaming.runtime.io.RecordWriterOutput.collect"));
    AREAS.put(
        "deserialisation from network buffers",
        List.of(
            "org.apache.flink.runtime.io.network.api.serialization.SpillingAdaptiveSpanningRecordDeserializer.getNextRecord"));
    AREAS.put(
        "Kafka producer send (sink)",
        List.of("org.apache.kafka.clients.producer.KafkaProducer.send"));
    AREAS.put(
        "Kafka producer I/O thread",
        List.of("org.apache.kafka.clients.producer.internals.Sender.run"));
    AREAS.put("Kafka consumer (source)", List.of("org.apache.kafka.clients.consumer."));
    AREAS.put(
        "checkpointing",
        List.of(
            "org.apache.flink.streaming.runtime.tasks.SubtaskCheckpointCoordinatorImpl",
            "org.apache.flink.runtime.checkpoint."));
  }

  /** Threads parked, sleeping or waiting on sockets: not work. */
  private static final List<String> IDLE_NATIVE =
      List.of(
          "EPoll.wait",
          "Object.wait",
          "Unsafe.park",
          "Thread.sleep",
          "SocketDispatcher.read",
          "Net.poll",
          "Net.accept",
          "FileDispatcherImpl.read",
          "Thread.yield",
          "Thread.onSpinWait",
          "ProcessHandleImpl.waitForProcessExit0",
          "UnixFileSystemProvider.isHidden");

  private final Recording recording;

  private JfrProfile(Recording recording) {
    this.recording = recording;
  }

  static JfrProfile start() {
    try {
      Recording recording = new Recording(Configuration.getConfiguration("profile"));
      recording.start();
      LOG.info("Bench: JFR recording started");
      return new JfrProfile(recording);
    } catch (IOException | ParseException e) {
      throw new IllegalStateException("cannot start a JFR recording: " + e.getMessage(), e);
    }
  }

  void discard() {
    recording.close();
  }

  String stopAndSummarize(Path file) throws IOException {
    recording.stop();
    recording.dump(file);
    recording.close();
    String summary = summarize(file);
    LOG.info("Bench: JFR recording {}\n{}", file, summary);
    return summary;
  }

  static String summarize(Path file) throws IOException {
    Summary summary = new Summary();
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      switch (event.getEventType().getName()) {
        case "jdk.ExecutionSample" -> summary.addExecutionSample(frames(event.getStackTrace()));
        case "jdk.NativeMethodSample" -> summary.addNativeSample(frames(event.getStackTrace()));
        case "jdk.ObjectAllocationSample" -> summary.addAllocation(event);
        case "jdk.GarbageCollection" -> summary.gcNanos += event.getDuration().toNanos();
        default -> {}
      }
    }
    return summary.toText();
  }

  /** What a recording adds up to: CPU by area and method, busy native methods, allocation, GC. */
  private static final class Summary {
    final Map<String, Integer> self = new HashMap<>();
    final Map<String, Integer> areas = new LinkedHashMap<>();
    final Map<String, Integer> nativeTop = new HashMap<>();
    final Map<String, Long> allocatedByClass = new HashMap<>();
    final Map<String, Long> allocatedBySite = new HashMap<>();
    int samples;
    int nativeSamples;
    long allocated;
    long gcNanos;

    Summary() {
      AREAS.keySet().forEach(area -> areas.put(area, 0));
    }

    void addExecutionSample(List<RecordedFrame> frames) {
      if (frames.isEmpty() || method(frames.get(0)).startsWith(JfrProfile.class.getName())) {
        return; // no stack, or the profiler itself
      }
      samples++;
      self.merge(method(frames.get(0)), 1, Integer::sum);
      Set<String> hit = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String method = method(frame);
        AREAS.forEach(
            (area, markers) -> {
              if (markers.stream().anyMatch(marker -> matches(method, marker))) {
                hit.add(area);
              }
            });
      }
      hit.forEach(area -> areas.merge(area, 1, Integer::sum));
    }

    void addNativeSample(List<RecordedFrame> frames) {
      if (frames.isEmpty()) {
        return;
      }
      String top = method(frames.get(0));
      if (IDLE_NATIVE.stream().noneMatch(top::contains)) {
        nativeSamples++;
        nativeTop.merge(top, 1, Integer::sum);
      }
    }

    void addAllocation(RecordedEvent event) {
      String site = allocationSite(frames(event.getStackTrace()));
      if (site.startsWith(JfrProfile.class.getName())) {
        return; // JFR's own start-up
      }
      long weight = event.getLong("weight");
      allocated += weight;
      allocatedByClass.merge(event.getClass("objectClass").getName(), weight, Long::sum);
      allocatedBySite.merge(site, weight, Long::sum);
    }

    String toText() {
      StringBuilder text = new StringBuilder();
      text.append(
          String.format(
              "%,d Java samples, %,d busy native samples; GC pauses %,d ms in total%n",
              samples, nativeSamples, gcNanos / 1_000_000));
      text.append("CPU by area (inclusive, % of Java samples):\n");
      final int total = Math.max(1, samples);
      areas.forEach(
          (area, count) ->
              text.append(String.format("  %-36s %5.1f%%%n", area, 100.0 * count / total)));
      text.append("Hottest methods (self, % of Java samples):\n");
      top(self, 12)
          .forEach(
              (method, count) ->
                  text.append(String.format("  %5.1f%%  %s%n", 100.0 * count / total, method)));
      text.append("Hottest native methods (self, % of busy native samples):\n");
      final int nativeTotal = Math.max(1, nativeSamples);
      top(nativeTop, 6)
          .forEach(
              (method, count) ->
                  text.append(
                      String.format("  %5.1f%%  %s%n", 100.0 * count / nativeTotal, method)));
      text.append(
          String.format("Allocation (sampled, %,d MiB in total) by class:%n", allocated >> 20));
      final double bytes = Math.max(1, allocated);
      top(allocatedByClass, 8)
          .forEach(
              (name, weight) ->
                  text.append(String.format("  %5.1f%%  %s%n", 100.0 * weight / bytes, name)));
      text.append("Allocation by site (first frame outside java.*/jdk.*):\n");
      top(allocatedBySite, 10)
          .forEach(
              (site, weight) ->
                  text.append(String.format("  %5.1f%%  %s%n", 100.0 * weight / bytes, site)));
      return text.toString();
    }
  }

  /** A marker is a method-name prefix, or {@code *suffix}. */
  private static boolean matches(String method, String marker) {
    return marker.startsWith("*")
        ? method.endsWith(marker.substring(1))
        : method.startsWith(marker);
  }

  private static List<RecordedFrame> frames(RecordedStackTrace stack) {
    return stack == null ? List.of() : stack.getFrames();
  }

  private static String method(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static String allocationSite(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String method = method(frame);
      if (!method.startsWith("java.") && !method.startsWith("jdk.") && !method.startsWith("sun.")) {
        return method;
      }
    }
    return frames.isEmpty() ? "?" : method(frames.get(0));
  }

  private static <V extends Comparable<V>> Map<String, V> top(Map<String, V> counts, int limit) {
    Map<String, V> top = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, V>comparingByValue().reversed())
        .limit(limit)
        .forEach(entry -> top.put(entry.getKey(), entry.getValue()));
    return top;
  }
}
