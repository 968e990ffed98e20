package tally.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Collapsed stacks as async-profiler writes them with {@code threads}, grouped and split. */
class NativeProfileTest {

  @TempDir Path dir;

  static final String TASK_LOOP =
      "java/lang/Thread.run;org/apache/flink/streaming/runtime/tasks/mailbox/MailboxProcessor"
          + ".runMailboxLoop;org/apache/flink/streaming/runtime/io/AbstractStreamTaskNetworkInput"
          + ".emitNext";

  /** 100 samples on the ledger task (60 dedup lookups in RocksDB, 30 Avro, 10 shuffle), 10 JIT. */
  static List<String> lines() {
    return List.of(
        "[Apply ledger rules (1/2)#0 tid=10];"
            + TASK_LOOP
            + ";tally/jobs/ledger/LedgerFunction.processElement"
            + ";org/apache/flink/runtime/state/ttl/TtlMapState.get"
            + ";org/apache/flink/state/rocksdb/RocksDBMapState.get;org/rocksdb/RocksDB.get"
            + ";Java_org_rocksdb_RocksDB_get__JJ_3BII;rocksdb::DBImpl::Get;__memcpy_[k] 60",
        "[Apply ledger rules (2/2)#0 tid=11];"
            + TASK_LOOP
            + ";tally/jobs/ledger/LedgerFunction.processElement"
            + ";org/apache/flink/state/rocksdb/RocksDBValueState.value"
            + ";org/apache/flink/formats/avro/typeutils/AvroSerializer.deserialize"
            + ";org/apache/avro/specific/SpecificDatumReader.read 30",
        "[Apply ledger rules (1/2)#0 tid=10];"
            + TASK_LOOP
            + ";org/apache/flink/runtime/io/network/api/serialization"
            + "/SpillingAdaptiveSpanningRecordDeserializer.getNextRecord"
            + ";org/apache/flink/core/memory/DataInputDeserializer.read 10",
        "[C2 CompilerThre tid=5];Thread::call_run;C2Compiler::compile_method 10",
        "not a stack line",
        "");
  }

  @Test
  void groupsThreadsAndSplitsTheLedgerTaskByOperationAndByCode() throws Exception {
    Path file = dir.resolve("cold.collapsed");
    Files.write(file, lines());

    NativeProfile profile = NativeProfile.read(file);

    assertThat(profile.samples).isEqualTo(110);
    assertThat(profile.ledgerSamples()).isEqualTo(100);
    assertThat(profile.byThreadGroup)
        .containsEntry(NativeProfile.LEDGER_TASK, 100L)
        .containsEntry("JIT compiler (C2)", 10L);
    assertThat(profile.ledgerByOperation)
        .containsExactly(
            java.util.Map.entry("dedup lookup (MapState.get)", 60L),
            java.util.Map.entry("account read (ValueState.value)", 30L),
            java.util.Map.entry("read from the shuffle (deserialise)", 10L));
    assertThat(profile.ledgerByLibrary)
        .containsExactly(
            java.util.Map.entry(NativeProfile.ROCKSDB, 60L),
            java.util.Map.entry("Avro (de)serialisation", 30L),
            java.util.Map.entry("Flink network buffers", 10L));
    // 1 CPU s of the ledger task over 1,000 records: 1,000 µs per record, 60 % of it in RocksDB.
    assertThat(
            profile.ledgerMicrosPerRecord(
                profile.ledgerByLibrary, NativeProfile.ROCKSDB, 1_000_000_000L, 1_000))
        .isEqualTo(600.0);
    assertThat(profile.ledgerMarkdown(1_000_000_000L, 1_000))
        .contains("| operation of the ledger task | share | µs per record |")
        .contains("| dedup lookup (MapState.get) | 60 % | 600.0 |")
        .contains("| Avro (de)serialisation | 30 % | 300.0 |");
  }

  @Test
  void theAgentOptionStartsAtLaunchAndWritesCollapsedStacksPerThread() {
    assertThat(NativeProfile.agentOption(Path.of("/x/lib.so"), Path.of("/y/out.collapsed")))
        .isEqualTo(
            "-agentpath:/x/lib.so=start,event=cpu,interval=1ms,threads,file=/y/out.collapsed,"
                + "collapsed");
  }

  @Test
  void theLibraryComesOutOfItsJarOnLinux() throws Exception {
    var library = NativeProfile.library(dir.resolve("lib"));
    if (System.getProperty("os.name").startsWith("Linux")) {
      assertThat(library).hasValueSatisfying(path -> assertThat(path).isRegularFile());
    } else {
      assertThat(library).isEmpty();
    }
  }
}
