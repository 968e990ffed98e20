package tally.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerJobOptions;

/** A bench run of the ledger job on the shared MiniCluster, with the production job settings. */
class LedgerRun extends BenchRun {
  final LedgerJobOptions options = LedgerJobOptions.defaults();
  final Path checkpoints;
  JobClient job;
  private JfrProfile profile;
  private String profileSummary;

  LedgerRun(BenchEnvironment env, RunSpec spec) {
    super(env, spec);
    BenchSettings settings = env.settings;
    options.kafka.bootstrapServers(env.bootstrapServers());
    options.topicOptions.transactions = inputTopic;
    options.topicOptions.balances = name + ".balances";
    options.topicOptions.alerts = name + ".alerts";
    options.topicOptions.dlq = name + ".dlq";
    options.identity.groupId = name;
    options.identity.transactionalIdPrefix = name;
    options.runtime.delivery = spec.kind().delivery;
    options.runtime.parallelism.parallelism = settings.parallelism();
    options.runtime.checkpointing.interval = settings.checkpointInterval();
    checkpoints = env.workDir.resolve("checkpoints").resolve(name);
    options.runtime.checkpointDir = checkpoints.toUri().toString();
  }

  @Override
  List<String> outputTopics() {
    return options.outputTopics();
  }

  @Override
  void start() throws Exception {
    // The MiniCluster's configuration (Tally's cluster settings) with the run's options on top.
    var conf = jobConfiguration();
    if (spec.topology() == RunSpec.Topology.BEFORE_TUNING) {
      BaselineSettings.revert(conf);
    }
    StreamExecutionEnvironment flink = env.flink.environment(conf);
    switch (spec.topology()) {
      case CURRENT -> LedgerJob.define(flink, options);
      case BEFORE_TUNING -> BaselineSettings.define(flink, options);
    }
    job = env.flink.submit(flink, name);
  }

  /** Program configuration of the run's job (a restore path, say). */
  org.apache.flink.configuration.Configuration jobConfiguration() {
    return new org.apache.flink.configuration.Configuration();
  }

  @Override
  void beforeSteadyWindow() {
    if (spec.profile()) {
      profile = JfrProfile.start();
    }
  }

  @Override
  void afterCatchUp() throws Exception {
    if (profile != null) {
      profileSummary = profile.stopAndSummarize(env.workDir.resolve(name + ".jfr"));
    }
  }

  @Override
  String profileSummary() {
    return profileSummary;
  }

  @Override
  long processed() {
    return InProcessCounters.sum(InProcessCounters.INPUT_COUNTERS);
  }

  @Override
  long uncommitted() throws Exception {
    return env.lag.unread(options.identity.groupId, inputTopic);
  }

  @Override
  CheckpointSummary checkpoints(long fromEpochMillis) throws Exception {
    return CheckpointSummary.read(env.rest, job.getJobID().toHexString(), fromEpochMillis);
  }

  @Override
  void stop() throws Exception {
    if (profile != null && profileSummary == null) {
      profile.discard();
    }
    if (job != null) {
      job.cancel().get(60, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    }
    tally.support.FileTrees.deleteRecursively(checkpoints);
  }
}
