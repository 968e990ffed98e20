package tally.testkit.generate;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tally.jobs.common.KafkaOptions;
import tally.jobs.common.TopicOptions;

/**
 * {@code tally generate}: writes generated transactions to Kafka. Exit code 0 when done (or stopped
 * with Ctrl-C after a flush), 1 when Kafka fails, 2 on bad arguments.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
        "Writes generated transactions to the transactions topic at a steady rate. "
            + "The same seed gives the same records.")
public final class GenerateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka = new KafkaOptions();

  @Option(
      names = "--count",
      defaultValue = "0",
      description =
          "Records to write, duplicates and invalid ones included; 0 = until stopped (default:"
              + " ${DEFAULT-VALUE}).")
  long count;

  @Mixin RateOption rate = new RateOption();

  @Mixin GeneratorOptions generator = new GeneratorOptions();

  @Mixin TopicOptions topics = new TopicOptions();

  @Mixin PartitionsOption partitions = new PartitionsOption();

  @Override
  public Integer call() {
    GeneratorSettings settings = settings();
    CountDownLatch finished = new CountDownLatch(1);
    try (TransactionProducer producer = TransactionProducer.connect(kafka.connection(), settings)) {
      // Ctrl-C: stop sending, flush what was sent, then let the JVM exit.
      Thread hook =
          new Thread(
              () -> {
                producer.stop();
                awaitQuietly(finished);
              },
              "tally-generate-shutdown");
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
      if (count < 0) {
        throw new IllegalArgumentException(
            "--count must be 0 (until stopped) or more, got " + count);
      }
      return generator
          .applyTo(GeneratorSettings.defaults())
          .withCount(count)
          .withRate(rate.rate)
          .withTopic(topics.transactions)
          .withPartitions(partitions.partitions);
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
