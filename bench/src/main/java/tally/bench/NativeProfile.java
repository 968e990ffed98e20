package tally.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CPU samples of a whole process with native frames (async-profiler's collapsed stacks, one line
 * per distinct stack and thread: {@code [thread tid=N];frame;...;leaf count}). JFR samples only
 * threads running Java, so the time a task thread spends inside RocksDB's JNI calls (its gets and
 * puts, their block reads and memtable inserts) is invisible to it; this profile sees it. Samples
 * are grouped by thread as {@link ThreadCpu} groups them, and the ledger task's are split twice: by
 * the operation the task was doing (inclusive) and by the library whose code ran (exclusive).
 */
final class NativeProfile {

  static final String LEDGER_TASK = ThreadCpu.LEDGER_TASK;

  static final String ROCKSDB = "RocksDB (native, through JNI)";

  /**
   * What the ledger task was doing: the first entry whose frame is on a sample's stack wins, so the
   * more specific operations come first.
   */
  private static final List<Map.Entry<String, String>> OPERATIONS =
      List.of(
          Map.entry("RocksDBMapState.get", "dedup lookup (MapState.get)"),
          Map.entry("RocksDBMapState.put", "dedup write (MapState.put)"),
          Map.entry("RocksDBValueState.value", "account read (ValueState.value)"),
          Map.entry("RocksDBValueState.update", "account write (ValueState.update)"),
          Map.entry("ContentFingerprint.of", "content fingerprint"),
          Map.entry("RecordWriterOutput.collect", "emit balances and alerts (serialise to sink)"),
          Map.entry(
              "SpillingAdaptiveSpanningRecordDeserializer", "read from the shuffle (deserialise)"),
          Map.entry("setCurrentKey", "switch to the record's key"),
          Map.entry("LedgerFunction.processElement", "ledger rules (the rest)"),
          Map.entry("SubtaskCheckpointCoordinatorImpl", "checkpoint (synchronous part)"),
          Map.entry("MailboxProcessor", "task loop, mailbox, network I/O"));

  /**
   * Whose code ran: the first entry with a frame on the stack wins, so a library's own callees
   * (libc, the kernel) count for it.
   */
  private static final List<Map.Entry<String, String>> LIBRARIES =
      List.of(
          Map.entry("rocksdb::", ROCKSDB),
          Map.entry("Java_org_rocksdb_", ROCKSDB),
          Map.entry("org/rocksdb/", ROCKSDB),
          Map.entry("org/apache/avro/", "Avro (de)serialisation"),
          Map.entry("java/security/MessageDigest", "SHA-256"),
          Map.entry("sun/security/provider/", "SHA-256"),
          Map.entry("org/apache/flink/runtime/state/ttl/", "Flink state TTL"),
          Map.entry("org/apache/flink/state/rocksdb/", "Flink RocksDB state (keys, namespaces)"),
          Map.entry("org/apache/flink/runtime/state/", "Flink RocksDB state (keys, namespaces)"),
          Map.entry("org/apache/flink/runtime/io/network/", "Flink network buffers"),
          Map.entry("org/apache/flink/api/", "Flink serialisers (POJO, strings, rows)"),
          Map.entry("org/apache/flink/core/memory/", "Flink serialisers (POJO, strings, rows)"),
          Map.entry("tally/", "Tally's code"),
          Map.entry("org/apache/flink/", "Flink runtime (task, operators)"),
          Map.entry("_[k]", "kernel"));

  static final String OTHER = "other (JVM, allocation, libc)";

  /** Samples per thread group, and the ledger task's by operation and by library. */
  final Map<String, Long> byThreadGroup = new LinkedHashMap<>();

  final Map<String, Long> ledgerByOperation = new LinkedHashMap<>();
  final Map<String, Long> ledgerByLibrary = new LinkedHashMap<>();
  long samples;

  /** The profiler library for this machine, copied out of its jar; empty where it has none. */
  static Optional<Path> library(Path dir) throws IOException {
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    String platform =
        !os.startsWith("linux")
            ? null
            : switch (arch) {
              case "amd64", "x86_64" -> "linux-x64";
              case "aarch64", "arm64" -> "linux-arm64";
              default -> null;
            };
    if (platform == null) {
      return Optional.empty();
    }
    try (InputStream so =
        NativeProfile.class
            .getClassLoader()
            .getResourceAsStream(platform + "/libasyncProfiler.so")) {
      if (so == null) {
        return Optional.empty();
      }
      Path target = dir.resolve("libasyncProfiler.so");
      Files.createDirectories(dir);
      Files.copy(so, target, StandardCopyOption.REPLACE_EXISTING);
      return Optional.of(target);
    }
  }

  /**
   * The JVM option that samples the whole process on CPU time from its first instruction and writes
   * collapsed stacks per thread when the JVM exits.
   */
  static String agentOption(Path library, Path output) {
    return "-agentpath:"
        + library
        + "=start,event=cpu,interval=1ms,threads,file="
        + output
        + ",collapsed";
  }

  static NativeProfile read(Path collapsed) throws IOException {
    NativeProfile profile = new NativeProfile();
    try (var lines = Files.lines(collapsed)) {
      lines.forEach(profile::add);
    }
    profile.sortAll();
    return profile;
  }

  /** One collapsed line; lines that are not a stack and a count are skipped. */
  void add(String line) {
    int space = line.lastIndexOf(' ');
    if (space < 0 || !line.startsWith("[")) {
      return;
    }
    long count;
    try {
      count = Long.parseLong(line.substring(space + 1).trim());
    } catch (NumberFormatException e) {
      return;
    }
    int close = line.indexOf(']');
    String thread = threadName(line.substring(1, close));
    String stack = line.substring(close + 1, space);
    samples += count;
    String group = ThreadCpu.group(thread);
    byThreadGroup.merge(group, count, Long::sum);
    if (group.equals(LEDGER_TASK)) {
      ledgerByOperation.merge(firstOnStack(stack, OPERATIONS, "other"), count, Long::sum);
      ledgerByLibrary.merge(firstOnStack(stack, LIBRARIES, OTHER), count, Long::sum);
    }
  }

  /** {@code Apply ledger rules (1/2)#0 tid=123} without its tid. */
  private static String threadName(String bracketed) {
    int tid = bracketed.lastIndexOf("tid=");
    return (tid < 0 ? bracketed : bracketed.substring(0, tid)).trim();
  }

  private static String firstOnStack(
      String stack, List<Map.Entry<String, String>> markers, String otherwise) {
    for (Map.Entry<String, String> marker : markers) {
      if (stack.contains(marker.getKey())) {
        return marker.getValue();
      }
    }
    return otherwise;
  }

  long ledgerSamples() {
    return byThreadGroup.getOrDefault(LEDGER_TASK, 0L);
  }

  private void sortAll() {
    replaceSorted(byThreadGroup);
    replaceSorted(ledgerByOperation);
    replaceSorted(ledgerByLibrary);
  }

  private static void replaceSorted(Map<String, Long> map) {
    Map<String, Long> sorted = ThreadCpu.sorted(map);
    map.clear();
    map.putAll(sorted);
  }

  /**
   * Two Markdown tables of the ledger task: what it was doing and whose code ran, each share turned
   * into µs per record of the task's measured CPU ({@code ledgerCpuNanos}, from /proc).
   */
  String ledgerMarkdown(long ledgerCpuNanos, long records) {
    StringBuilder md = new StringBuilder();
    table(md, "operation of the ledger task", ledgerByOperation, ledgerCpuNanos, records);
    md.append('\n');
    table(md, "code that ran on the ledger task", ledgerByLibrary, ledgerCpuNanos, records);
    return md.toString();
  }

  /** µs per record of {@code part} of the ledger task. */
  double ledgerMicrosPerRecord(
      Map<String, Long> part, String key, long ledgerCpuNanos, long records) {
    long total = ledgerSamples();
    return total == 0
        ? 0
        : part.getOrDefault(key, 0L) * (double) ledgerCpuNanos / total / 1e3 / records;
  }

  private void table(
      StringBuilder md, String title, Map<String, Long> part, long cpuNanos, long records) {
    md.append("| ").append(title).append(" | share | µs per record |\n|---|---:|---:|\n");
    double total = Math.max(1, ledgerSamples());
    part.forEach(
        (name, count) ->
            md.append("| ")
                .append(name)
                .append(" | ")
                .append(Format.integer(100.0 * count / total))
                .append(" % | ")
                .append(Format.decimal(ledgerMicrosPerRecord(part, name, cpuNanos, records), 1))
                .append(" |\n"));
  }
}
