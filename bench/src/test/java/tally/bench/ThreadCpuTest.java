package tally.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

  @Test
  void groupsThreadsByTheirTruncatedNames() {
    assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo("JIT compiler (C2)");
    assertThat(ThreadCpu.group("GC Thread#1")).isEqualTo("garbage collector");
    assertThat(ThreadCpu.group("G1 Conc#0")).isEqualTo("garbage collector");
    assertThat(ThreadCpu.group("rocksdb:low")).startsWith("RocksDB background");
    assertThat(ThreadCpu.group("kafka-producer-")).startsWith("Kafka producer");
    assertThat(ThreadCpu.group("Source: Kafka t")).startsWith("Flink task: Kafka source");
    assertThat(ThreadCpu.group("Apply ledger ru")).startsWith("Flink task: ledger rules");
    assertThat(ThreadCpu.group("Kafka: b1-cold-")).isEqualTo("Flink task: Kafka sink");
    assertThat(ThreadCpu.group("flink-pekko.act")).startsWith("Flink runtime");
    assertThat(ThreadCpu.group("Sweeper thread")).isEqualTo(ThreadCpu.OTHER);
  }

  @Test
  void parsesAThreadStatLineWhoseNameHasSpacesAndParentheses() {
    String line =
        "77 (Source: a (1/2)) R 1 4242 4242 0 -1 4194560 12345 0 0 0 250 50 0 0 20 0 42 0 1000"
            + " 5000000000 100000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
    var entry = ThreadCpu.parse(line);
    assertThat(entry.getKey()).isEqualTo("Source: a (1/2)");
    assertThat(entry.getValue()).isEqualTo(3_000_000_000L);
    assertThatThrownBy(() -> ThreadCpu.parse("no parentheses"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsThisJvmsThreadsLargestFirstAndNothingForAGoneProcess() {
    Map<String, Long> groups = ThreadCpu.byGroup(ProcessHandle.current().pid());
    assertThat(groups).isNotEmpty();
    assertThat(groups.values().stream().mapToLong(Long::longValue).sum()).isPositive();
    assertThat(java.util.List.copyOf(groups.values()))
        .isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(ThreadCpu.byGroup(Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void sortsLargestFirst() {
    Map<String, Long> totals = new LinkedHashMap<>();
    totals.put("a", 1L);
    totals.put("b", 3L);
    totals.put("c", 2L);
    assertThat(ThreadCpu.sorted(totals).keySet()).containsExactly("b", "c", "a");
  }
}
