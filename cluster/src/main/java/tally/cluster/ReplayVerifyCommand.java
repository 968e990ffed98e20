package tally.cluster;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tally.jobs.common.DurationConverter;
import tally.jobs.common.TopicOptions;
import tally.support.Deadline;

/** {@code tally replay verify}: are the re-emitted balance updates the originals? */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Compares replay <n>'s balance updates with the live ones by (accountId, seq): each must"
            + " equal the original, none may repeat. With --wait, first waits until the replay"
            + " caught up with the live output. Exit code 0 when consistent (and caught up, with"
            + " --wait).")
public final class ReplayVerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClusterDirOption dir;

  @Option(
      names = "--replay",
      required = true,
      paramLabel = "N",
      description = "Which replay: its topics end in .replay-N.")
  int replay;

  /** The live job's topics; the replay's are {@code <topic>.replay-<n>}. */
  @Mixin TopicOptions live = new TopicOptions();

  @Option(
      names = "--wait",
      converter = DurationConverter.class,
      description =
          "Wait up to this long for the replay to catch up, e.g. 2min (default: compare once).")
  Duration wait;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ClusterState state = ClusterState.require(dir.layout());
    ReplayComparison comparison = new ReplayComparison(state.kafka());
    String balancesTopic = live.balances;
    String replayTopic = balancesTopic + ReplayTopics.SUFFIX + replay;
    ReplayComparison.Result[] result = {comparison.compare(balancesTopic, replayTopic)};
    if (wait != null && !result[0].caughtUp()) {
      Deadline.in(wait)
          .await(
              () -> (result[0] = comparison.compare(balancesTopic, replayTopic)).caughtUp(),
              () -> null,
              Duration.ofSeconds(2));
    }
    out.print(result[0].toText());
    boolean ok = result[0].consistent() && (wait == null || result[0].caughtUp());
    return ok ? 0 : 1;
  }
}
