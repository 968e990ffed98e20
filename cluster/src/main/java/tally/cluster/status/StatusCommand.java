package tally.cluster.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tally.cluster.FlinkRestClient;
import tally.support.cli.JsonOption;

/**
 * {@code tally status}: a job's health from the Flink REST API. Exit 0 when every reported job is
 * healthy, 1 when one is not (or Flink does not answer), 2 on bad arguments.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Prints the health of the jobs on a Flink cluster: state, uptime, restarts, last"
            + " checkpoint, throughput, lag. Exits 0 only when every job shown is healthy (RUNNING,"
            + " all tasks running, a checkpoint completed within the last three intervals).")
public final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--rest-url",
      defaultValue = "http://localhost:8081",
      description = "Flink REST API / Web UI address (default: ${DEFAULT-VALUE}).")
  String restUrl;

  @Option(
      names = "--job",
      paramLabel = "ID|NAME",
      description =
          "Only this job (id or name; default: every job that is not finished, else the newest).")
  String job;

  @Mixin JsonOption output = new JsonOption();

  @Override
  public Integer call() {
    FlinkRestClient rest;
    try {
      rest = new FlinkRestClient(restUrl);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--rest-url " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    JobHealthProbe probe = new JobHealthProbe(rest);
    List<JobHealth> jobs = new ArrayList<>();
    String version;
    try {
      version = probe.flinkVersion();
      for (String id : probe.selectJobs(job)) {
        jobs.add(probe.read(id));
      }
    } catch (IOException e) {
      spec.commandLine().getErr().println("tally status: " + e.getMessage());
      return 1;
    }
    if (output.json) {
      try {
        out.println(
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(jobs));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    } else {
      out.printf(
          "Flink %s at %s: %s%n",
          version,
          rest.baseUrl(),
          jobs.isEmpty()
              ? (job == null ? "no jobs" : "no job '" + job + "'")
              : jobs.size() + " job(s)");
      jobs.forEach(health -> out.println(StatusFormatter.format(health)));
    }
    out.flush();
    return !jobs.isEmpty() && jobs.stream().allMatch(JobHealth::healthy) ? 0 : 1;
  }
}
