package tally.cluster;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code tally flink ARGS}: Flink's own command line ({@code CliFrontend}, what {@code bin/flink}
 * runs) against the cluster, with the cluster's config dir as {@code FLINK_CONF_DIR}. Everything
 * after {@code flink} goes to Flink unchanged, e.g. {@code tally flink run -d
 * jobs/target/tally-jobs-*.jar ledger --bootstrap-servers ...}, {@code tally flink stop
 * --savepointPath DIR JOBID}, {@code tally flink list}. With a real Flink distribution the same is
 * {@code FLINK_CONF_DIR=<work dir>/conf flink ...}.
 */
@Command(
    name = "flink",
    description =
        "Flink's command line (run, list, stop, cancel, savepoint, ...) against the cluster:"
            + " everything after 'flink' goes to Flink's CliFrontend with FLINK_CONF_DIR = the"
            + " cluster's conf dir. Only --work-dir (before Flink's action) is tally's. 'tally"
            + " flink --help' prints Flink's help.")
public final class FlinkCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ClusterDirOption dir;

  @Unmatched List<String> flinkArgs = new ArrayList<>();

  @Override
  public Integer call() {
    ClusterLayout layout = dir.layout();
    boolean helpOnly =
        flinkArgs.isEmpty()
            || flinkArgs.equals(List.of("--help"))
            || flinkArgs.equals(List.of("-h"));
    if (helpOnly && ClusterState.load(layout).isEmpty()) {
      // Flink's own help needs the cluster's config dir; without a cluster, this command's help.
      spec.commandLine().usage(spec.commandLine().getOut());
      return 0;
    }
    ClusterState.require(layout);
    PrintWriter out = spec.commandLine().getOut();
    return new FlinkCli(layout)
        .run(
            flinkArgs,
            line -> {
              out.println(line);
              out.flush();
            })
        .exitCode();
  }
}
