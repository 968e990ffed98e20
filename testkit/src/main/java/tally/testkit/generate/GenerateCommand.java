package tally.testkit.generate;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tally generate}: writes generated transactions to Kafka. Exit code 0 when done (or
 * stopped with Ctrl-C after a flush), 1 when Kafka fails, 2 on bad arguments.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Writes generated transactions to the transactions topic at a steady rate. "
        + "The same seed gives the same records.")
public final class GenerateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(names = "--count", defaultValue = "0",
      description = "Records to write, duplicates and invalid ones included; 0 = until stopped (default: ${DEFAULT-VALUE}).")
  long count;

  @Option(names = "--rate", defaultValue = "1000",
      description = "Records per second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--accounts", defaultValue = "1000", description = "Number of accounts (default: ${DEFAULT-VALUE}).")
  int accounts;

  @Option(names = "--merchants", defaultValue = "50", description = "Number of merchants (default: ${DEFAULT-VALUE}).")
  int merchants;

  @Option(names = "--duplicate-ratio", defaultValue = "0.01",
      description = "Share of records that re-send an earlier record exactly (default: ${DEFAULT-VALUE}).")
  double duplicateRatio;

  @Option(names = "--invalid-ratio", defaultValue = "0.001",
      description = "Share of records the ledger must reject to the DLQ (default: ${DEFAULT-VALUE}).")
  double invalidRatio;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--topic", defaultValue = GeneratorSettings.DEFAULT_TOPIC,
      description = "Transactions topic (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--partitions", defaultValue = "4",
      description = "Partitions when the topic has to be created (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Override
  public Integer call() {
    GeneratorSettings settings = settings();
    CountDownLatch finished = new CountDownLatch(1);
    try (TransactionProducer producer = TransactionProducer.connect(bootstrapServers, settings)) {
      // Ctrl-C: stop sending, flush what was sent, then let the JVM exit.
      Thread hook = new Thread(() -> {
        producer.stop();
        awaitQuietly(finished);
      }, "tally-generate-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        producer.run();
      } finally {
        finished.countDown();
        removeQuietly(hook);
      }
      return 0;
    } catch (IllegalStateException | KafkaException e) {
      spec.commandLine().getErr().println("generate: " + e.getMessage());
      return 1;
    }
  }

  GeneratorSettings settings() {
    try {
      return new GeneratorSettings(count, rate, accounts, merchants, duplicateRatio, invalidRatio, seed, topic, partitions);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static void awaitQuietly(CountDownLatch finished) {
    try {
      finished.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeQuietly(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook is running
    }
  }
}
