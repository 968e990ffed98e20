package tally.kafka.local;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import kafka.tools.StorageTool;

/**
 * Formats a KRaft log dir as a standalone controller ({@code kafka-storage.sh format
 * --standalone}).
 *
 * <p>Runs in this JVM: {@code StorageTool.execute} returns a code or throws instead of exiting.
 * Measured on 2 cores: 1.0 s for the first format in a JVM and 16 ms after that, against 1.2 s
 * every time as a child JVM, which matters when a test JVM starts several brokers.
 */
final class StorageFormatter {

  private StorageFormatter() {}

  static void format(Path serverProperties, String clusterId) {
    format(serverProperties, clusterId, List.of(), UnaryOperator.identity());
  }

  /**
   * With {@code extraArgs} such as {@code --add-scram SCRAM-SHA-512=[name=...,password=...]}: they
   * stay in this JVM (no command line shows them). Kafka's output and messages pass through {@code
   * redact} before they go into an exception, since a malformed {@code --add-scram} argument is
   * quoted back in full.
   */
  static void format(
      Path serverProperties,
      String clusterId,
      List<String> extraArgs,
      UnaryOperator<String> redact) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    List<String> args =
        new ArrayList<>(
            List.of("format", "-t", clusterId, "-c", serverProperties.toString(), "--standalone"));
    args.addAll(extraArgs);
    int code;
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      code = StorageTool.execute(args.toArray(String[]::new), out);
    } catch (Exception e) {
      String message =
          "formatting the Kafka log dir failed ("
              + serverProperties
              + "): "
              + redact.apply(String.valueOf(e.getMessage()))
              + "\n"
              + redact.apply(output.toString(StandardCharsets.UTF_8));
      // Kafka's exception may quote a secret too: keep only its type, not its message or cause.
      throw extraArgs.isEmpty()
          ? new KafkaStartException(message, e)
          : new KafkaStartException(message + " (" + e.getClass().getName() + ")");
    }
    if (code != 0) {
      throw new KafkaStartException(
          "formatting the Kafka log dir failed with code "
              + code
              + " ("
              + serverProperties
              + "):\n"
              + redact.apply(output.toString(StandardCharsets.UTF_8)));
    }
  }
}
