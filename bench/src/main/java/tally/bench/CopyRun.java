package tally.bench;

import java.util.List;

/** A bench run of {@link TransactionalCopy}: the same input, no Flink. */
final class CopyRun extends BenchRun {
  private final String outputTopic = name + ".copy";
  private final String group = name;
  private TransactionalCopy copy;

  CopyRun(BenchEnvironment env, RunSpec spec) {
    super(env, spec);
  }

  @Override
  List<String> outputTopics() {
    return List.of(outputTopic);
  }

  @Override
  void start() {
    BenchSettings settings = env.settings;
    copy =
        new TransactionalCopy(
            env.bootstrapServers(),
            inputTopic,
            outputTopic,
            settings.partitions(),
            settings.parallelism(),
            settings.checkpointInterval(),
            group);
    copy.start();
  }

  @Override
  long processed() {
    return copy.consumed();
  }

  @Override
  long uncommitted() throws Exception {
    return env.lag.unread(group, inputTopic);
  }

  @Override
  CheckpointSummary checkpoints(long fromEpochMillis) {
    return CheckpointSummary.NONE;
  }

  @Override
  void stop() throws InterruptedException {
    if (copy != null) {
      copy.close();
    }
  }
}
