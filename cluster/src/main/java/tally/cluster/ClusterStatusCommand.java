package tally.cluster;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tally cluster status}: every process, its pid and health, and the jobs. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Shows every process of the cluster with its pid and health, and the Flink jobs. "
            + "Exit code 0 when everything is healthy, 1 otherwise.")
public final class ClusterStatusCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  @Spec CommandSpec spec;
  @Mixin ClusterDirOption dir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ClusterLayout layout = dir.layout();
    Optional<ClusterState> loaded = ClusterState.load(layout);
    if (loaded.isEmpty()) {
      out.println("No cluster under " + layout.root() + " ('bin/tally cluster up' starts one).");
      return 1;
    }
    ClusterState state = loaded.get();
    ProcessCluster cluster = new ProcessCluster(layout);
    List<ProcessCluster.ProcessStatus> statuses = cluster.status(state);
    out.println(
        "Cluster under "
            + layout.root()
            + ", started "
            + TIME.format(Instant.ofEpochMilli(state.createdAtMillis())));
    String row = "%-14s %-8s %-26s %-6s %s%n";
    out.printf(row, "process", "pid", "endpoint", "health", "");
    for (ProcessCluster.ProcessStatus s : statuses) {
      out.printf(
          row,
          s.process().name(),
          s.alive() ? Long.toString(s.process().pid()) : "-",
          s.process().endpoint(),
          s.healthy() ? "ok" : "DOWN",
          s.health());
    }
    List<ProcessHandle> strays = ProcessControl.strays(layout, state.processes());
    strays.forEach(
        stray ->
            out.println(
                "stray process of this cluster: pid "
                    + stray.pid()
                    + " ('bin/tally cluster down' stops it)"));
    printJobs(out, state.rest());
    out.println("Logs: " + layout.logsDir() + "   Flink conf dir: " + layout.confDir());
    boolean healthy =
        statuses.stream().allMatch(ProcessCluster.ProcessStatus::healthy) && strays.isEmpty();
    out.println(healthy ? "CLUSTER HEALTHY" : "CLUSTER NOT HEALTHY");
    return healthy ? 0 : 1;
  }

  private static void printJobs(PrintWriter out, FlinkRestClient rest) {
    try {
      List<FlinkRestClient.JobSummary> jobs = rest.jobs();
      if (jobs.isEmpty()) {
        out.println("jobs: none");
      }
      for (FlinkRestClient.JobSummary job : jobs) {
        out.printf(
            "job %s %-22s %-10s started %s%n",
            job.id(), job.name(), job.state(), TIME.format(Instant.ofEpochMilli(job.startTime())));
      }
    } catch (IOException e) {
      out.println("jobs: unknown (" + e.getMessage() + ")");
    }
  }
}
