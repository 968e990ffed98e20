package tally.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import tally.jobs.common.Delivery;
import tally.jobs.common.JobCommandLine;
import tally.jobs.ledger.LedgerJobOptions;

/** The child's command line: options the ledger job really has, with the bench's names. */
class ColdProcessRunTest {

  static BenchSettings settings() {
    return new BenchSettings(
        200_000,
        100_000,
        4,
        2,
        Duration.ofSeconds(1),
        List.of(),
        Duration.ZERO,
        0.01,
        0.001,
        42,
        false,
        Profiling.NONE,
        Path.of("docs"),
        null,
        EnumSet.allOf(RunKind.class));
  }

  @Test
  void commandRunsTheScriptWithTheBenchBrokerAndFreshState() {
    List<String> command =
        ColdProcessRun.command(
            Path.of("/repo/bin/tally"),
            "localhost:1234",
            Backlog.topics("b3-cold-eo"),
            "b3-cold-eo",
            ColdVariant.AT_LEAST_ONCE,
            settings(),
            Path.of("/tmp/w"));
    assertThat(command.subList(0, 3)).containsExactly("/repo/bin/tally", "run", "ledger");
    assertThat(String.join(" ", command))
        .contains("--bootstrap-servers localhost:1234")
        .contains("--fresh")
        .contains("--work-dir /tmp/w")
        .contains("--web-ui-port 0")
        .contains("--delivery at-least-once");
  }

  @Test
  void aBeforeRowUndoesOneSettingWithARealFlinkKey() {
    List<String> command =
        ColdProcessRun.command(
            Path.of("/repo/bin/tally"),
            "localhost:1234",
            Backlog.topics("b4-cold-eo-before"),
            "b4-cold-eo-before",
            ColdVariant.BEFORE_MANAGED_MEMORY,
            settings(),
            Path.of("/tmp/w"));
    assertThat(command).contains("-Dtaskmanager.memory.managed.size=128m");
    assertThat(ColdVariant.BEFORE_MANAGED_MEMORY.contender())
        .startsWith("`bin/tally run ledger`, cold, exactly-once, before: ");
    java.util.Map<String, org.apache.flink.configuration.ConfigOption<?>> known =
        new java.util.HashMap<>();
    for (Class<?> options :
        List.of(
            org.apache.flink.configuration.TaskManagerOptions.class,
            org.apache.flink.state.rocksdb.RocksDBOptions.class,
            org.apache.flink.state.rocksdb.RocksDBConfigurableOptions.class)) {
      for (java.lang.reflect.Field field : options.getFields()) {
        if (field.getType() == org.apache.flink.configuration.ConfigOption.class) {
          try {
            var option = (org.apache.flink.configuration.ConfigOption<?>) field.get(null);
            known.put(option.key(), option);
          } catch (IllegalAccessException e) {
            throw new AssertionError(e);
          }
        }
      }
    }
    for (ColdVariant variant : ColdVariant.ALL) {
      for (String property : variant.flinkProperties()) {
        String[] keyValue = property.split("=", 2);
        // The key is one Flink knows, and its value parses as that option's type.
        assertThat(known).containsKey(keyValue[0]);
        var conf =
            org.apache.flink.configuration.Configuration.fromMap(
                java.util.Map.of(keyValue[0], keyValue[1]));
        assertThat((Object) conf.get(known.get(keyValue[0]))).isNotNull();
      }
    }
  }

  @Test
  void jobArgumentsParseAsLedgerOptions() {
    List<String> args =
        new ArrayList<>(
            ColdProcessRun.jobArgs(
                Backlog.topics("b3-cold-eo"), "b3-cold-eo", Delivery.EXACTLY_ONCE, settings()));
    LedgerJobOptions options =
        JobCommandLine.parse(new LedgerJobOptions(), args.toArray(String[]::new));
    assertThat(options.topicOptions.transactions).isEqualTo("b3-cold-eo.transactions");
    assertThat(options.outputTopics())
        .containsExactly("b3-cold-eo.balances", "b3-cold-eo.alerts", "b3-cold-eo.dlq");
    assertThat(options.identity.groupId).isEqualTo("b3-cold-eo");
    assertThat(options.identity.transactionalIdPrefix).isEqualTo("b3-cold-eo");
    assertThat(options.runtime.delivery).isEqualTo(Delivery.EXACTLY_ONCE);
    assertThat(options.runtime.parallelism.parallelism).isEqualTo(2);
    assertThat(options.runtime.checkpointInterval()).isEqualTo(Duration.ofSeconds(1));
  }
}
