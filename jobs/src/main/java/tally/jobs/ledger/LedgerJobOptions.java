package tally.jobs.ledger;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tally.jobs.common.DurationConverter;
import tally.jobs.common.RuntimeOptions;

/** Options of the ledger job; the same ones for `flink run` and `bin/tally run ledger`. */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    description = "Applies transactions to per-account balances, exactly once.")
public class LedgerJobOptions {

  @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  public String bootstrapServers = "localhost:9092";

  @Option(names = "--input-topic", defaultValue = "tally.transactions",
      description = "Transactions topic (default: ${DEFAULT-VALUE}).")
  public String inputTopic = "tally.transactions";

  @Option(names = "--balances-topic", defaultValue = "tally.balances",
      description = "Balance updates topic (default: ${DEFAULT-VALUE}).")
  public String balancesTopic = "tally.balances";

  @Option(names = "--alerts-topic", defaultValue = "tally.alerts",
      description = "Overdraft alerts topic (default: ${DEFAULT-VALUE}).")
  public String alertsTopic = "tally.alerts";

  @Option(names = "--dlq-topic", defaultValue = "tally.dlq",
      description = "Dead-letter topic (default: ${DEFAULT-VALUE}).")
  public String dlqTopic = "tally.dlq";

  @Option(names = "--group-id", defaultValue = "tally-ledger",
      description = "Consumer group; offsets are committed to it on checkpoints, for monitoring (default: ${DEFAULT-VALUE}).")
  public String groupId = "tally-ledger";

  @Option(names = "--transactional-id-prefix", defaultValue = "tally-ledger",
      description = "Kafka transactional-id prefix of the sink; keep it across restarts and upgrades, unique per job (default: ${DEFAULT-VALUE}).")
  public String transactionalIdPrefix = "tally-ledger";

  @Option(names = "--job-name", defaultValue = "tally-ledger",
      description = "Flink job name, as the Web UI and 'flink list' show it (default: ${DEFAULT-VALUE}).")
  public String jobName = "tally-ledger";

  @Option(names = "--dedup-retention", defaultValue = "7d", converter = DurationConverter.class,
      description = "How long an applied txnId is remembered for de-duplication (default: ${DEFAULT-VALUE}).")
  public Duration dedupRetention = Duration.ofDays(7);

  @Mixin public RuntimeOptions runtime = new RuntimeOptions();

  public List<String> outputTopics() {
    return List.of(balancesTopic, alertsTopic, dlqTopic);
  }
}
