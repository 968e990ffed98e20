package tally.cluster;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tally cluster down}: stops every process the cluster started, by pid. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description =
        "Stops every process of the cluster by pid (SIGTERM; SIGKILL after 30 s, brokers 10 s):"
            + " TaskManagers, JobManager, brokers, ZooKeeper. Data, checkpoints, savepoints and"
            + " logs stay (--purge deletes the work dir).")
public final class ClusterDownCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClusterDirOption dir;

  @Option(
      names = "--purge",
      description = "Also delete the work directory (data, checkpoints, savepoints, logs).")
  boolean purge;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ClusterLayout layout = dir.layout();
    Optional<ClusterState> state = ClusterState.load(layout);
    long started = System.nanoTime();
    int stopped = new ProcessCluster(layout).down(state);
    if (state.isEmpty() && stopped == 0) {
      out.println("No cluster under " + layout.root() + ": nothing to stop.");
    } else {
      out.println(
          "Stopped "
              + stopped
              + " processes in "
              + ProcessCluster.seconds(started)
              + "."
              + (purge
                  ? ""
                  : " Data, checkpoints, savepoints and logs kept under " + layout.root() + "."));
    }
    if (purge) {
      tally.support.FileTrees.deleteRecursively(layout.root());
      out.println("Deleted " + layout.root() + ".");
    }
    return 0;
  }
}
