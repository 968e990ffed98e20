package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tally.connectors.kafka.SourceIdentityGuard;
import tally.jobs.common.Topics;
import tally.kafka.local.KafkaClusterExtension;
import tally.testkit.audit.ConsumerGroupLag;
import tally.testkit.generate.GeneratorSettings;
import tally.testkit.generate.TransactionProducer;

/**
 * {@code bin/tally run ledger} as a user runs it, a process of its own: against cluster A it leaves
 * a retained checkpoint in its default-style work dir; pointed at cluster B with the same work dir
 * it refuses to resume A's state, with one line, a non-zero exit and nothing written.
 */
class ForeignStateRunIT {
  @RegisterExtension static final KafkaClusterExtension CLUSTER_A = new KafkaClusterExtension();
  @RegisterExtension static final KafkaClusterExtension CLUSTER_B = new KafkaClusterExtension();

  @TempDir Path workDir;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopWhatWasStarted() throws InterruptedException {
    for (Process process : started) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void stateTakenAgainstOneClusterIsNeverResumedAgainstAnother() throws Exception {
    for (KafkaClusterExtension kafka : List.of(CLUSTER_A, CLUSTER_B)) {
      kafka.createTopic(Topics.TRANSACTIONS, 2);
    }
    GeneratorSettings settings =
        GeneratorSettings.defaults().withCount(500).withRate(0).withPartitions(2);
    try (TransactionProducer producer =
        TransactionProducer.connect(CLUSTER_A.bootstrapServers(), settings)) {
      producer.run();
    }

    Process onA = run(CLUSTER_A, "a.log");
    Path checkpoints = workDir.resolve("tally-ledger").resolve("checkpoints");
    await("a completed checkpoint of the run on A, and its offsets committed")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> hasRetainedCheckpoint(checkpoints) && caughtUp(CLUSTER_A));
    onA.destroy(); // SIGTERM, as Ctrl-C: the job is cancelled, its checkpoint retained
    assertThat(onA.waitFor(60, TimeUnit.SECONDS)).as("run on A stopped").isTrue();

    Process onB = run(CLUSTER_B, "b.log");
    assertThat(onB.waitFor(2, TimeUnit.MINUTES)).as("run on B ended by itself").isTrue();
    String output = Files.readString(workDir.resolve("b.log"), StandardCharsets.UTF_8);
    assertThat(onB.exitValue()).as(output).isNotZero();
    assertThat(output)
        .contains("Resuming from retained checkpoint")
        .contains("Refusing to restore state taken against Kafka cluster")
        .contains(SourceIdentityGuard.ALLOW_FOREIGN_STATE_OPTION);
    assertThat(output.lines().filter(line -> line.startsWith("tally ledger: ")))
        .as("one line says why")
        .singleElement()
        .asString()
        .contains("Refusing to restore state taken against Kafka cluster");
    assertThat(CLUSTER_B.admin().listOffsets(endOffsetsOf(CLUSTER_B)).all().get().values())
        .as("nothing written to B's balances")
        .allSatisfy(end -> assertThat(end.offset()).isZero());
  }

  private Process run(KafkaClusterExtension kafka, String log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The module opens Flink needs on Java 17, as this test JVM has them (bin/tally adds the same).
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(arg -> arg.startsWith("--add-opens") || arg.startsWith("--add-exports"))
        .forEach(command::add);
    command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path")));
    command.addAll(
        List.of(
            TallyCli.class.getName(),
            "run",
            "ledger",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--work-dir",
            workDir.toString(),
            "--web-ui-port",
            "0"));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve(log).toFile())
            .start();
    started.add(process);
    return process;
  }

  private static boolean hasRetainedCheckpoint(Path checkpoints) throws IOException {
    if (!Files.isDirectory(checkpoints)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(checkpoints)) {
      return files.anyMatch(
          path ->
              path.getFileName().toString().equals("_metadata")
                  && path.getParent().getFileName().toString().startsWith("chk-"));
    }
  }

  private static boolean caughtUp(KafkaClusterExtension kafka) {
    try (ConsumerGroupLag lag = new ConsumerGroupLag(kafka.bootstrapServers())) {
      return lag.unread("tally-ledger", Topics.TRANSACTIONS) == 0;
    } catch (Exception notYet) {
      return false;
    }
  }

  private static Map<TopicPartition, OffsetSpec> endOffsetsOf(KafkaClusterExtension kafka)
      throws Exception {
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    if (!kafka.admin().listTopics().names().get().contains(Topics.BALANCES)) {
      return specs; // not even created: nothing written
    }
    TopicDescription balances =
        kafka
            .admin()
            .describeTopics(List.of(Topics.BALANCES))
            .allTopicNames()
            .get()
            .get(Topics.BALANCES);
    balances
        .partitions()
        .forEach(
            p ->
                specs.put(new TopicPartition(Topics.BALANCES, p.partition()), OffsetSpec.latest()));
    return specs;
  }
}
