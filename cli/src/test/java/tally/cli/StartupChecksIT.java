package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;
import tally.connectors.preflight.MisconfigurationException;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerJobOptions;
import tally.kafka.local.FreePorts;
import tally.kafka.local.KafkaClusterExtension;
import tally.kafka.local.KafkaClusterOptions;

/** The ledger job refuses to start, with a message saying what to change, against a real broker. */
class StartupChecksIT {
  @RegisterExtension
  static final KafkaClusterExtension KAFKA =
      new KafkaClusterExtension(
          KafkaClusterOptions.builder()
              .brokerProperty("transaction.max.timeout.ms", "600000")
              .build());

  private static LedgerJobOptions options(String prefix) {
    LedgerJobOptions options = LedgerJobOptions.defaults();
    options.kafka.bootstrapServers(KAFKA.bootstrapServers());
    options.topicOptions.transactions = prefix + ".transactions";
    options.topicOptions.balances = prefix + ".balances";
    options.topicOptions.alerts = prefix + ".alerts";
    options.topicOptions.dlq = prefix + ".dlq";
    // verify(options) judges the options on a cluster that sets nothing: without a directory,
    // checkpoints would live in the JobManager's memory only, and exactly-once is refused.
    options.runtime.checkpointDir = "file:///tmp/tally-startup-checks-it";
    return options;
  }

  private static LedgerJobOptions withTopics(String prefix) {
    LedgerJobOptions options = options(prefix);
    for (String topic :
        java.util.List.of(
            options.topicOptions.transactions,
            options.topicOptions.balances,
            options.topicOptions.alerts,
            options.topicOptions.dlq)) {
      KAFKA.createTopic(topic, 1);
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> KAFKA.admin().listTopics().names().get().contains(options.topicOptions.dlq));
    return options;
  }

  @Test
  void passesWhenEverythingIsInPlace() {
    LedgerJobOptions options = withTopics("ok");
    options.runtime.transactionTimeout = Duration.ofMinutes(10);
    LedgerJob.verify(options);
  }

  @Test
  void refusesAMissingInputTopic() {
    LedgerJobOptions options = withTopics("no-input");
    options.topicOptions.transactions = "no-such-topic";
    options.runtime.transactionTimeout = Duration.ofMinutes(10);
    assertThatThrownBy(() -> LedgerJob.verify(options))
        .isInstanceOf(MisconfigurationException.class)
        .hasMessageContaining("input topic 'no-such-topic' does not exist");
  }

  @Test
  void refusesATransactionTimeoutAboveTheBrokersMaximum() {
    LedgerJobOptions options = withTopics("too-long");
    options.runtime.transactionTimeout = Duration.ofMinutes(15); // broker allows 10
    assertThatThrownBy(() -> LedgerJob.verify(options))
        .isInstanceOf(MisconfigurationException.class)
        .hasMessageContaining("exceeds the broker's transaction.max.timeout.ms (10min)")
        .hasMessageContaining("--transaction-timeout to at most 10min");
  }

  @Test
  void refusesAnUnreachableBroker() {
    LedgerJobOptions options = options("unreachable");
    options.kafka.bootstrapServers("localhost:" + FreePorts.pick());
    assertThatThrownBy(() -> LedgerJob.verify(options))
        .isInstanceOf(MisconfigurationException.class)
        .hasMessageContaining("cannot reach Kafka at " + options.kafka.bootstrapServers());
  }

  @Test
  void theCommandLineReportsItOnOneLineAndExitsNonZero() {
    StringWriter err = new StringWriter();
    CommandLine cli = TallyCli.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int exit =
        cli.execute(
            "run",
            "ledger",
            "--bootstrap-servers",
            KAFKA.bootstrapServers(),
            "--input-topic",
            "missing.transactions",
            "--web-ui-port",
            "0",
            "--transaction-timeout",
            "10min");
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString().strip())
        .startsWith("tally ledger: input topic 'missing.transactions' does not exist")
        .doesNotContain("\n");
  }
}
