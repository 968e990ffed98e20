package tally.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.testkit.generate.GeneratorSettings;
import tally.testkit.generate.TopicProvisioner;

/**
 * One run: fresh topics, a preloaded backlog, processing from the beginning until caught up
 * (throughput, CPU, checkpoints), then optionally a steady-rate phase for latency. Subclasses say
 * how records are processed: the ledger job on the MiniCluster, or the plain copy.
 */
abstract class BenchRun {
  private static final Logger LOG = LoggerFactory.getLogger(BenchRun.class);
  private static final long SAMPLE_MILLIS = 100;
  private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(20);
  private static final Duration LATENCY_WARM_UP = Duration.ofSeconds(3);

  protected final BenchEnvironment env;
  protected final RunSpec spec;
  protected final String name;
  protected final String inputTopic;

  BenchRun(BenchEnvironment env, RunSpec spec) {
    this.env = env;
    this.spec = spec;
    this.name =
        env.nextRunName(
            spec.kind().shortSlug()
                + switch (spec.topology()) {
                  case CURRENT -> "";
                  case BEFORE_TUNING -> "-before";
                }
                + "-"
                + spec.accounts());
    this.inputTopic = name + ".transactions";
  }

  /** Output topics, created with the input. */
  abstract List<String> outputTopics();

  /** Starts processing the input from its beginning. */
  abstract void start() throws Exception;

  /** Input records taken in so far (not necessarily committed). */
  abstract long processed();

  /** Input records whose processing is not committed yet (0: caught up, all output visible). */
  abstract long uncommitted() throws Exception;

  /** Checkpoints triggered since {@code fromEpochMillis}. */
  abstract CheckpointSummary checkpoints(long fromEpochMillis) throws Exception;

  abstract void stop() throws Exception;

  /** A JFR summary when the spec asked for a profile. */
  String profileSummary() {
    return null;
  }

  void beforeSteadyWindow() throws Exception {}

  void afterCatchUp() throws Exception {}

  /**
   * Before the backlog is written into the fresh input topic (a state-growth run preloads state
   * here).
   */
  void beforeBacklog() throws Exception {}

  /** After the catch-up's figures are taken, before the latency phase (restore timings). */
  void afterMeasured() throws Exception {}

  /** The interval at which this run commits its output. */
  Duration checkpointInterval() {
    return env.settings.checkpointInterval();
  }

  final RunResult execute() throws Exception {
    BenchSettings settings = env.settings;
    List<String> topics = new java.util.ArrayList<>(outputTopics());
    topics.add(0, inputTopic);
    TopicProvisioner.ensureTopics(env.admin, topics, settings.partitions());
    GeneratorSettings generator =
        GeneratorSettings.defaults()
            .withTopic(inputTopic)
            .withAccounts(spec.accounts())
            .withDuplicateRatio(settings.duplicateRatio())
            .withInvalidRatio(settings.invalidRatio())
            .withSeed(settings.seed())
            .withRate(0)
            .withPartitions(settings.partitions());
    try (InputFeed feed = new InputFeed(env.bootstrapServers(), generator)) {
      beforeBacklog();
      double preloadRate = feed.preload(spec.records());
      LOG.info(
          "Bench {}: {} over {} accounts: processing {} records from the beginning",
          name,
          spec.kind().label,
          Format.integer(spec.accounts()),
          Format.integer(spec.records()));
      long submitted = System.nanoTime();
      start();
      try {
        ProgressSamples samples = new ProgressSamples();
        long firstRecordMillis = awaitProcessed(samples);
        awaitCommitted();
        double catchUp = (System.nanoTime() - submitted) / 1e9;
        afterCatchUp();
        ProgressSamples.Throughput throughput = samples.steady(spec.records());
        CheckpointSummary checkpoints = checkpoints(firstRecordMillis);
        LOG.info(
            "Bench {}: {} records/s ({} per CPU-second, {} cores + broker {} cores), caught up in"
                + " {} s, checkpoints p50 {} p99 {}",
            name,
            Format.integer(throughput.recordsPerSecond()),
            Format.integer(throughput.recordsPerCpuSecond()),
            Format.decimal(throughput.processCores(), 2),
            Format.decimal(throughput.brokerCores(), 2),
            Format.decimal(catchUp, 1),
            Format.millis(checkpoints.durationMillis().p50()),
            Format.millis(checkpoints.durationMillis().p99()));
        afterMeasured();
        // A negative rate asks for half of this run's own measured maximum.
        double rate =
            spec.latencyRate() < 0 ? throughput.recordsPerSecond() / 2 : spec.latencyRate();
        boolean measure = rate > 0 && !settings.latencyDuration().isZero();
        Distribution latency = measure ? measureLatency(feed, rate) : Distribution.EMPTY;
        return new RunResult(
            spec, preloadRate, throughput, catchUp, checkpoints, rate, latency, profileSummary());
      } finally {
        stop();
        try {
          env.admin
              .deleteTopics(topics)
              .all()
              .get(); // keeps the broker's disk and page cache for the next run
        } catch (Exception e) {
          LOG.warn("Bench {}: could not delete its topics: {}", name, e.toString());
        }
      }
    }
  }

  /**
   * Samples progress and CPU until the whole backlog is taken in; returns when the first record
   * was.
   */
  private long awaitProcessed(ProgressSamples samples) throws Exception {
    long deadline = System.nanoTime() + CATCH_UP_LIMIT.toNanos();
    long lastLog = System.nanoTime();
    long firstRecordMillis = -1;
    boolean windowStarted = false;
    while (true) {
      long records = processed();
      samples.add(
          new ProgressSamples.Sample(
              System.nanoTime(), records, env.cpu.processNanos(), env.cpu.brokerNanos()));
      if (firstRecordMillis < 0 && records > 0) {
        firstRecordMillis = System.currentTimeMillis();
      }
      if (!windowStarted && records >= spec.records() * ProgressSamples.WINDOW_START) {
        windowStarted = true;
        beforeSteadyWindow();
      }
      if (records >= spec.records()) {
        return firstRecordMillis;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "run "
                + name
                + " did not catch up within "
                + CATCH_UP_LIMIT.toMinutes()
                + " min ("
                + records
                + " of "
                + spec.records()
                + " records)");
      }
      if (System.nanoTime() - lastLog > PROGRESS_NANOS) {
        lastLog = System.nanoTime();
        LOG.info(
            "Bench {}: {} of {} records",
            name,
            Format.integer(records),
            Format.integer(spec.records()));
      }
      Thread.sleep(SAMPLE_MILLIS);
    }
  }

  private void awaitCommitted() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (uncommitted() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "run " + name + " processed its input but did not commit it within 2 min");
      }
      Thread.sleep(50);
    }
  }

  private Distribution measureLatency(InputFeed feed, double rate) throws Exception {
    BenchSettings settings = env.settings;
    try (LatencyProbe probe =
        new LatencyProbe(env.bootstrapServers(), outputTopics(), settings.partitions())) {
      // Warm-up: the first seconds (at most a quarter of the phase) are read but not measured.
      Duration warmUp =
          settings.latencyDuration().dividedBy(4).compareTo(LATENCY_WARM_UP) < 0
              ? settings.latencyDuration().dividedBy(4)
              : LATENCY_WARM_UP;
      probe.measureFrom(System.currentTimeMillis() + warmUp.toMillis());
      LOG.info(
          "Bench {}: latency phase, {} records/s for {} s",
          name,
          Format.integer(rate),
          settings.latencyDuration().toSeconds());
      long sent = feed.pace(rate, settings.latencyDuration().toNanos());
      Duration quiet = checkpointInterval().multipliedBy(3).plusSeconds(2);
      Distribution latency = probe.finish(quiet, Duration.ofSeconds(60));
      LOG.info(
          "Bench {}: {} records sent, {} outputs measured: latency p50 {} p99 {} max {}",
          name,
          sent,
          latency.count(),
          Format.millis(latency.p50()),
          Format.millis(latency.p99()),
          Format.millis(latency.max()));
      return latency;
    }
  }
}
