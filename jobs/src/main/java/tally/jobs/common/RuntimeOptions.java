package tally.jobs.common;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The fault-tolerance settings every Tally job runs with, as command-line options (a picocli mixin)
 * turned into Flink configuration. Defaults are chosen for exactly-once with fast recovery: RocksDB
 * with incremental checkpoints every second, checkpoints retained on cancellation, and an
 * exponential-delay restart strategy with a capped backoff.
 */
public class RuntimeOptions {

  /** Upper bound of key groups: the most parallel a job can ever be rescaled to from its state. */
  public static final int MAX_PARALLELISM = 128;

  @Option(
      names = "--delivery",
      defaultValue = "exactly-once",
      converter = DeliveryConverter.class,
      description =
          "Sink delivery guarantee: exactly-once, at-least-once or none (default:"
              + " ${DEFAULT-VALUE}).")
  public Delivery delivery;

  @Mixin public CheckpointIntervalOption checkpointing = new CheckpointIntervalOption();

  @Option(
      names = "--checkpoint-timeout",
      defaultValue = "2min",
      converter = DurationConverter.class,
      description = "A checkpoint taking longer is aborted (default: ${DEFAULT-VALUE}).")
  public Duration checkpointTimeout;

  @Option(
      names = "--checkpoint-dir",
      description =
          "Where checkpoints go (a URI such as file:///var/tally/checkpoints); default: the"
              + " cluster's execution.checkpointing.dir.")
  public String checkpointDir;

  @Option(
      names = "--savepoint-dir",
      description =
          "Default savepoint target; default: the cluster's execution.checkpointing.savepoint-dir.")
  public String savepointDir;

  @Option(
      names = "--restart-max-backoff",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Cap of the exponential restart delay (default: ${DEFAULT-VALUE}).")
  public Duration restartMaxBackoff;

  @Option(
      names = "--transaction-timeout",
      defaultValue = "15min",
      converter = DurationConverter.class,
      description =
          "Kafka transaction timeout of the exactly-once sink; must not exceed the brokers'"
              + " transaction.max.timeout.ms (default: ${DEFAULT-VALUE}).")
  public Duration transactionTimeout;

  @Mixin public ParallelismOption parallelism = new ParallelismOption();

  public Duration checkpointInterval() {
    return checkpointing.interval;
  }

  /** Flink configuration for these options; apply on top of the cluster's. */
  public Configuration toConfiguration() {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    conf.setString("state.backend.rocksdb.log.level", "HEADER_LEVEL");
    if (!checkpointInterval().isZero()) {
      conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval());
    }
    conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, checkpointTimeout);
    conf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
    // A checkpoint that fails (e.g. times out under load) is retried at the next interval; its
    // open transactions roll into the next checkpoint. Only repeated failures restart the job.
    conf.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 3);
    if (checkpointDir != null) {
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
    }
    if (savepointDir != null) {
      conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, savepointDir);
    }

    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
        Duration.ofSeconds(1));
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, restartMaxBackoff);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
        Duration.ofMinutes(2));
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);

    applyPerformanceSettings(conf);

    conf.set(PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM);
    // Every record type has a real serializer (POJO or Avro); a Kryo fallback would be a bug.
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    if (parallelism.parallelism != null) {
      conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism.parallelism);
    }
    return conf;
  }

  /**
   * Settings that cost nothing in correctness and were measured to pay (docs/benchmarks.md).
   *
   * <ul>
   *   <li>Object reuse stays off (explicitly, so no cluster default turns it on): it saves a copy
   *       per chained hand-over, but makes every function's correctness depend on never touching an
   *       emitted or received object again, which no test can prove for all inputs.
   *   <li>RocksDB bloom filters: nearly every dedup lookup misses (a txnId is new), and a miss
   *       otherwise reads index and data blocks of every level; the filter answers it from memory.
   *   <li>RocksDB's size estimates per state (keys, live bytes) as metrics: with the account count
   *       they give the state size per account (see {@code bin/tally status}).
   * </ul>
   */
  public static void applyPerformanceSettings(Configuration conf) {
    // A payments job does not trade that guarantee for a copy (see the list above).
    conf.set(PipelineOptions.OBJECT_REUSE, false);
    conf.setString("state.backend.rocksdb.use-bloom-filter", "true");
    conf.setString("state.backend.rocksdb.metrics.estimate-num-keys", "true");
    conf.setString("state.backend.rocksdb.metrics.estimate-live-data-size", "true");
  }

  /** picocli converter for {@link Delivery}. */
  public static final class DeliveryConverter
      implements picocli.CommandLine.ITypeConverter<Delivery> {
    @Override
    public Delivery convert(String value) {
      try {
        return Delivery.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not a delivery guarantee (exactly-once, at-least-once, none)");
      }
    }
  }
}
