package tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a process's CPU went, by kind of thread, from {@code /proc/<pid>/task/<tid>/stat}: JIT
 * compilation, garbage collection, RocksDB's background threads, Kafka client I/O and Flink's task
 * threads are told apart by thread name (the kernel keeps its first 15 characters). Threads that
 * have already ended are not listed, so the groups add up to at most the process's total.
 */
final class ThreadCpu {

  /** The groups other parts of the report pick out by name. */
  static final String JIT_C2 = "JIT compiler (C2)";

  static final String JIT_C1 = "JIT compiler (C1)";
  static final String ROCKSDB_BACKGROUND = "RocksDB background (flush, compaction)";
  static final String LEDGER_TASK = "Flink task: ledger rules, encode balances and alerts";
  static final String FLINK_RUNTIME = "Flink runtime (JobManager, RPC, metrics, REST)";
  static final String START_UP = "start-up (main thread)";

  /** Thread-name prefixes (as the kernel truncates them) and the group they belong to. */
  private static final List<Map.Entry<String, String>> GROUPS =
      List.of(
          Map.entry("C2 CompilerThre", JIT_C2),
          Map.entry("C1 CompilerThre", JIT_C1),
          Map.entry("GC Thread", "garbage collector"),
          Map.entry("G1 ", "garbage collector"),
          Map.entry("VM Thread", "JVM (VM thread: safepoints)"),
          Map.entry("rocksdb:", ROCKSDB_BACKGROUND),
          Map.entry("kafka-producer-", "Kafka producer I/O (sink)"),
          Map.entry("Source Data Fet", "Kafka consumer (source fetcher)"),
          Map.entry("kafka-coordinat", "Kafka clients (other)"),
          Map.entry("kafka-admin-cli", "Kafka clients (other)"),
          Map.entry("Source: ", "Flink task: Kafka source, decode and validate"),
          Map.entry("Apply ledger ru", LEDGER_TASK),
          Map.entry("Encode dead let", "Flink task: encode dead letters"),
          Map.entry("Kafka: ", "Flink task: Kafka sink"),
          Map.entry("Sink: ", "Flink task: Kafka sink"),
          Map.entry("jobmanager-io-t", FLINK_RUNTIME),
          Map.entry("flink-", FLINK_RUNTIME),
          Map.entry("mini-cluster-io", FLINK_RUNTIME),
          Map.entry("AsyncOperations", "Flink checkpointing (async part)"),
          Map.entry("Checkpoint Time", "Flink checkpointing (async part)"),
          Map.entry("main", START_UP),
          Map.entry("java", START_UP));

  static final String OTHER = "other threads";

  private ThreadCpu() {}

  /** The group a thread of this (truncated) name belongs to. */
  static String group(String threadName) {
    for (Map.Entry<String, String> entry : GROUPS) {
      if (threadName.startsWith(entry.getKey())) {
        return entry.getValue();
      }
    }
    return OTHER;
  }

  /** The thread's name and CPU nanoseconds of one {@code task/<tid>/stat} line. */
  static Map.Entry<String, Long> parse(String statLine) {
    return Map.entry(ProcStat.command(statLine), ProcStat.cpuNanos(statLine));
  }

  /**
   * CPU nanoseconds per group of the live threads of {@code pid}, largest first; empty when the
   * process is gone.
   */
  static Map<String, Long> byGroup(long pid) {
    Map<String, Long> totals = new LinkedHashMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (Stream<Path> threads = Files.list(tasks)) {
      threads.forEach(
          thread -> {
            try {
              var entry = parse(Files.readString(thread.resolve("stat")));
              totals.merge(group(entry.getKey()), entry.getValue(), Long::sum);
            } catch (IOException gone) {
              // the thread ended between the listing and the read
            }
          });
    } catch (IOException gone) {
      return Map.of();
    }
    return sorted(totals);
  }

  static Map<String, Long> sorted(Map<String, Long> totals) {
    Map<String, Long> sorted = new LinkedHashMap<>();
    totals.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
    return sorted;
  }
}
