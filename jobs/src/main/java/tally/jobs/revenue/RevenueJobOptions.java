package tally.jobs.revenue;

import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tally.jobs.common.DurationConverter;
import tally.jobs.common.RuntimeOptions;

/** Options of the revenue job; the same ones for `flink run` and `bin/tally run revenue`. */
@Command(
    name = "revenue",
    mixinStandardHelpOptions = true,
    description = "Sums merchant debits from the balance updates in event-time windows, exactly once.")
public class RevenueJobOptions {

  @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  public String bootstrapServers = "localhost:9092";

  @Option(names = "--balances-topic", defaultValue = "tally.balances",
      description = "Input: the ledger's balance updates, read with read_committed (default: ${DEFAULT-VALUE}).")
  public String balancesTopic = "tally.balances";

  @Option(names = "--revenue-topic", defaultValue = "tally.merchant-revenue",
      description = "Window totals (default: ${DEFAULT-VALUE}).")
  public String revenueTopic = "tally.merchant-revenue";

  @Option(names = "--late-topic", defaultValue = "tally.revenue-late",
      description = "Debits that arrived after their window fired (default: ${DEFAULT-VALUE}).")
  public String lateTopic = "tally.revenue-late";

  @Option(names = "--dlq-topic", defaultValue = "tally.revenue-dlq",
      description = "Balance records that do not decode (default: ${DEFAULT-VALUE}).")
  public String dlqTopic = "tally.revenue-dlq";

  @Option(names = "--group-id", defaultValue = "tally-revenue",
      description = "Consumer group; offsets committed on checkpoints (default: ${DEFAULT-VALUE}).")
  public String groupId = "tally-revenue";

  @Option(names = "--transactional-id-prefix", defaultValue = "tally-revenue",
      description = "Kafka transactional-id prefix of the sink; keep it across restarts, unique per job (default: ${DEFAULT-VALUE}).")
  public String transactionalIdPrefix = "tally-revenue";

  @Option(names = "--window", defaultValue = "1min", converter = DurationConverter.class,
      description = "Tumbling window size (default: ${DEFAULT-VALUE}).")
  public Duration window = Duration.ofMinutes(1);

  @Option(names = "--out-of-orderness", defaultValue = "5s", converter = DurationConverter.class,
      description = "How far event time may go backwards before a debit is late (default: ${DEFAULT-VALUE}).")
  public Duration outOfOrderness = Duration.ofSeconds(5);

  @Option(names = "--idleness", defaultValue = "30s", converter = DurationConverter.class,
      description = "A partition without records for this long stops holding back event time (default: ${DEFAULT-VALUE}).")
  public Duration idleness = Duration.ofSeconds(30);

  @Mixin public RuntimeOptions runtime = new RuntimeOptions();

  public List<String> outputTopics() {
    return List.of(revenueTopic, lateTopic, dlqTopic);
  }
}
