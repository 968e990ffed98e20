package tally.jobs.common;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.RestartStrategyOptions.RestartStrategyType;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tally.connectors.preflight.FlinkSettings;
import tally.connectors.preflight.FlinkSettings.Origin;
import tally.connectors.preflight.FlinkSettings.Setting;
import tally.connectors.preflight.MisconfigurationException;

/**
 * The fault-tolerance settings of a Tally job as command-line options (a picocli mixin), applied on
 * top of the cluster's Flink configuration. The platform's settings win: a Flink key is set only
 * when the user passed the matching option, and otherwise comes from the cluster (config.yaml,
 * {@code -D} on flink run, an operator's flinkConfiguration). Where the cluster leaves a key unset
 * that exactly-once needs, a safe default fills it in ({@link #SAFE_DEFAULTS}). The precedence and
 * every default: docs/flink-configuration.md.
 */
public class RuntimeOptions {
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeOptions.class);

  /** Upper bound of key groups: the most parallel a job can ever be rescaled to from its state. */
  public static final int MAX_PARALLELISM = 128;

  /** Checkpoint interval when neither the cluster nor the user set one. */
  public static final Duration SAFE_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

  /** Checkpoint timeout when neither the cluster nor the user set one (Flink's is 10 min). */
  public static final Duration SAFE_CHECKPOINT_TIMEOUT = Duration.ofMinutes(2);

  /** Cap of the restart delay when the cluster chooses no restart strategy (Flink's is 1 min). */
  public static final Duration SAFE_RESTART_MAX_BACKOFF = Duration.ofSeconds(10);

  /** A key exactly-once needs set, and the value it gets when the cluster leaves it unset. */
  public record SafeDefault<T>(ConfigOption<T> option, T value) {
    boolean setIn(ReadableConfig config) {
      return config.getOptional(option).isPresent();
    }

    void putInto(Configuration conf) {
      conf.set(option, value);
    }
  }

  /**
   * Filled in, each only when neither the cluster nor the user set it (the restart strategy's
   * parameters only when the cluster chooses no restart strategy at all, incremental checkpoints
   * only with RocksDB). Why each: docs/flink-configuration.md.
   */
  public static final List<SafeDefault<?>> SAFE_DEFAULTS =
      List.of(
          new SafeDefault<>(CheckpointingOptions.CHECKPOINTING_INTERVAL, SAFE_CHECKPOINT_INTERVAL),
          new SafeDefault<>(CheckpointingOptions.CHECKPOINTING_TIMEOUT, SAFE_CHECKPOINT_TIMEOUT),
          new SafeDefault<>(
              CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
              ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION),
          new SafeDefault<>(StateBackendOptions.STATE_BACKEND, "rocksdb"),
          new SafeDefault<>(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true),
          new SafeDefault<>(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay"),
          new SafeDefault<>(
              RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
              Duration.ofMillis(500)),
          new SafeDefault<>(
              RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
              SAFE_RESTART_MAX_BACKOFF),
          new SafeDefault<>(
              RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0),
          new SafeDefault<>(
              RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
              // 20 s of stability forgets earlier failures: a backoff grown by one incident must
              // not slow the recovery from the next (measured in docs/cluster.md).
              Duration.ofSeconds(20)),
          new SafeDefault<>(
              RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1),
          new SafeDefault<>(PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM),
          // Every record type has a real serializer (POJO or Avro); a Kryo fallback would be a bug.
          new SafeDefault<>(PipelineOptions.GENERIC_TYPES, false));

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
      converter = DurationConverter.class,
      description =
          "A checkpoint taking longer is aborted (default: the cluster's"
              + " execution.checkpointing.timeout, else 2min).")
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
      converter = DurationConverter.class,
      description =
          "Cap of the exponential-delay restart strategy's delay (default: the cluster's"
              + " restart-strategy.exponential-delay.max-backoff; 10s when the cluster sets no"
              + " restart strategy).")
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

  /** The interval the user passed, or null: then the cluster's (or the safe default) applies. */
  public Duration checkpointInterval() {
    return checkpointing.interval;
  }

  private boolean checkpointingOffByOption() {
    return checkpointing.interval != null && checkpointing.interval.isZero();
  }

  /**
   * The keys the job sets on top of {@code cluster}: those of the options the user passed, then the
   * safe defaults for exactly-once-critical keys that both leave unset. A key the cluster set is
   * never in it unless the user passed its option.
   *
   * @param cluster the configuration the job starts with: the cluster's config.yaml with {@code -D}
   *     dynamic properties (flink run), an operator's flinkConfiguration, a MiniCluster's
   * @throws MisconfigurationException when an option cannot take effect on this cluster
   */
  public Configuration apply(ReadableConfig cluster) {
    Configuration conf = given();
    boolean clusterChoosesRestarts =
        cluster.getOptional(RestartStrategyOptions.RESTART_STRATEGY).isPresent();
    for (SafeDefault<?> safe : SAFE_DEFAULTS) {
      if (safe.setIn(cluster)
          || safe.setIn(conf)
          || !applies(safe, cluster, clusterChoosesRestarts)) {
        continue;
      }
      safe.putInto(conf);
    }
    if (restartMaxBackoff != null) {
      RestartStrategyType type = restartStrategy(merged(cluster, conf));
      if (type != RestartStrategyType.EXPONENTIAL_DELAY) {
        throw new MisconfigurationException(
            "--restart-max-backoff caps the exponential-delay restart strategy, but the cluster's"
                + " restart-strategy.type is "
                + cluster.get(RestartStrategyOptions.RESTART_STRATEGY)
                + ": drop the option, or set restart-strategy.type: exponential-delay in"
                + " config.yaml");
      }
    }
    return conf;
  }

  /** The options the user passed, as Flink keys. */
  private Configuration given() {
    Configuration conf = new Configuration();
    if (checkpointing.interval != null && !checkpointingOffByOption()) {
      conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointing.interval);
    }
    if (checkpointTimeout != null) {
      conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, checkpointTimeout);
    }
    if (checkpointDir != null) {
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
    }
    if (savepointDir != null) {
      conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, savepointDir);
    }
    if (restartMaxBackoff != null) {
      conf.set(
          RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, restartMaxBackoff);
    }
    if (parallelism.parallelism != null) {
      conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism.parallelism);
    }
    return conf;
  }

  private boolean applies(
      SafeDefault<?> safe, ReadableConfig cluster, boolean clusterChoosesRestarts) {
    String key = safe.option().key();
    if (key.startsWith("restart-strategy.")) {
      return !clusterChoosesRestarts; // the cluster's strategy comes with its own parameters
    }
    if (safe.option().equals(CheckpointingOptions.CHECKPOINTING_INTERVAL)) {
      return !checkpointingOffByOption();
    }
    if (safe.option().equals(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)) {
      return cluster
          .getOptional(StateBackendOptions.STATE_BACKEND)
          .map(RuntimeOptions::isRocksDb)
          .orElse(true);
    }
    return true;
  }

  private static boolean isRocksDb(String backend) {
    return backend.equalsIgnoreCase("rocksdb")
        || backend.endsWith("EmbeddedRocksDBStateBackendFactory");
  }

  /**
   * The settings the job will run with on {@code cluster}, each with where it comes from: what the
   * start-up checks judge.
   */
  public FlinkSettings effective(ReadableConfig cluster) {
    Configuration applied = apply(cluster);
    Configuration merged = merged(cluster, applied);
    if (checkpointingOffByOption()) {
      merged.removeConfig(CheckpointingOptions.CHECKPOINTING_INTERVAL);
    }
    Setting<Duration> interval =
        checkpointingOffByOption()
            ? new Setting<>(
                CheckpointingOptions.CHECKPOINTING_INTERVAL.key(),
                Duration.ZERO,
                Origin.OPTION,
                CheckpointIntervalOption.NAME)
            : setting(
                CheckpointingOptions.CHECKPOINTING_INTERVAL,
                merged.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).orElse(null),
                checkpointing.interval != null,
                CheckpointIntervalOption.NAME,
                cluster,
                applied);
    return new FlinkSettings(
        interval,
        setting(
            CheckpointingOptions.CHECKPOINTING_TIMEOUT,
            merged.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT),
            checkpointTimeout != null,
            "--checkpoint-timeout",
            cluster,
            applied),
        maxRestartBackoff(merged, cluster, applied),
        setting(
            CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
            merged.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION),
            false,
            null,
            cluster,
            applied),
        checkpointStorage(merged, cluster, applied));
  }

  /**
   * Applies {@link #apply} to {@code env}, whose configuration is the cluster's ({@code
   * StreamExecutionEnvironment.getExecutionEnvironment()} in a job's main), and returns the
   * effective settings. Nothing else of the cluster's configuration is touched.
   */
  public FlinkSettings configure(StreamExecutionEnvironment env) {
    ReadableConfig cluster = env.getConfiguration();
    Configuration changes = apply(cluster);
    FlinkSettings effective = effective(cluster);
    boolean objectReuse = cluster.get(PipelineOptions.OBJECT_REUSE);
    if (!changes.keySet().isEmpty()) {
      env.configure(changes);
    }
    if (checkpointingOffByOption()) {
      env.getCheckpointConfig().disableCheckpointing();
    }
    LOG.info(
        "Flink settings: the cluster's configuration, with {} set by the job (options and safe"
            + " defaults); checkpoints every {}, timeout {}, restart backoff up to {}, retention"
            + " {}, storage {}",
        changes.toMap().isEmpty() ? "nothing" : changes.toMap(),
        effective.checkpointInterval().describe(),
        effective.checkpointTimeout().describe(),
        effective.maxRestartBackoff().describe(),
        effective.checkpointRetention().describe(),
        effective.checkpointStorage().describe());
    if (objectReuse) {
      LOG.warn(
          "pipeline.object-reuse is true in the cluster configuration: Tally's functions are"
              + " tested without object reuse only");
    }
    return effective;
  }

  /**
   * The job's Flink configuration on a cluster that sets nothing: the options given plus every safe
   * default. For environments that take their whole configuration up front (tests on a {@code
   * MiniClusterExtension}); a job's main uses {@link #configure} instead.
   */
  public Configuration toConfiguration() {
    return apply(new Configuration());
  }

  private static Configuration merged(ReadableConfig cluster, Configuration applied) {
    Configuration merged = Configuration.fromMap(cluster.toMap());
    merged.addAll(applied);
    return merged;
  }

  private static <T> Setting<T> setting(
      ConfigOption<T> option,
      T value,
      boolean given,
      String name,
      ReadableConfig cluster,
      Configuration applied) {
    return new Setting<>(option.key(), value, origin(option, given, cluster, applied), name);
  }

  private static Origin origin(
      ConfigOption<?> option, boolean given, ReadableConfig cluster, Configuration applied) {
    if (given) {
      return Origin.OPTION;
    } else if (cluster.getOptional(option).isPresent()) {
      return Origin.CLUSTER;
    } else if (applied.getOptional(option).isPresent()) {
      return Origin.SAFE_DEFAULT;
    }
    return Origin.FLINK_DEFAULT;
  }

  private Setting<Duration> maxRestartBackoff(
      Configuration merged, ReadableConfig cluster, Configuration applied) {
    return switch (restartStrategy(merged)) {
      case EXPONENTIAL_DELAY ->
          setting(
              RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
              merged.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF),
              restartMaxBackoff != null,
              "--restart-max-backoff",
              cluster,
              applied);
      case FIXED_DELAY ->
          setting(
              RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
              merged.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY),
              false,
              null,
              cluster,
              applied);
      case FAILURE_RATE ->
          setting(
              RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY,
              merged.get(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY),
              false,
              null,
              cluster,
              applied);
      case NO_RESTART_STRATEGY ->
          new Setting<>( // a failure ends the job: nothing waits for a restart
              RestartStrategyOptions.RESTART_STRATEGY.key(),
              Duration.ZERO,
              origin(RestartStrategyOptions.RESTART_STRATEGY, false, cluster, applied),
              null);
    };
  }

  /** Flink's reading of restart-strategy.type, its default included. */
  private static RestartStrategyType restartStrategy(ReadableConfig merged) {
    Optional<String> type = merged.getOptional(RestartStrategyOptions.RESTART_STRATEGY);
    if (type.isEmpty()) {
      // Flink: exponential-delay when checkpointing is on, else no restarts.
      return merged.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isPresent()
          ? RestartStrategyType.EXPONENTIAL_DELAY
          : RestartStrategyType.NO_RESTART_STRATEGY;
    }
    RestartStrategyType known = RestartStrategyType.of(type.get().toLowerCase(Locale.ROOT));
    if (known == null) {
      throw new MisconfigurationException(
          "restart-strategy.type '"
              + type.get()
              + "' is not a restart strategy Flink knows: set it to exponential-delay,"
              + " fixed-delay, failure-rate or none in config.yaml");
    }
    return known;
  }

  private Setting<String> checkpointStorage(
      Configuration merged, ReadableConfig cluster, Configuration applied) {
    Optional<String> storage = merged.getOptional(CheckpointingOptions.CHECKPOINT_STORAGE);
    boolean custom =
        storage
            .filter(s -> !s.equalsIgnoreCase("jobmanager") && !s.equalsIgnoreCase("filesystem"))
            .isPresent();
    if (custom) { // a factory of its own: where it writes is its business
      return setting(
          CheckpointingOptions.CHECKPOINT_STORAGE, storage.get(), false, null, cluster, applied);
    }
    return setting(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        merged.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).orElse(null),
        checkpointDir != null,
        "--checkpoint-dir",
        cluster,
        applied);
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
