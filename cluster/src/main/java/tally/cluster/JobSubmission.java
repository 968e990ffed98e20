package tally.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Submits a job jar to the cluster, detached, and returns its job id: through the REST API's jar
 * upload (about 2 s) where the Web UI accepts uploads, and with {@code flink run -d} (Flink's own
 * CLI, 6-8 s) on a secured cluster, which turns jar upload off ({@code web.submit.enable: false})
 * and keeps only the CLI's way in (job graph and jars through the REST API's job submission, over
 * TLS).
 */
public final class JobSubmission {

  private JobSubmission() {}

  /**
   * @param entryClass the jar's main class to run, or null for its manifest's
   * @param restorePath a savepoint or retained checkpoint to start from, or null
   * @param parallelism the job's parallelism, or null for the cluster's default
   */
  public static String submit(
      ClusterState state,
      Path jar,
      String entryClass,
      List<String> args,
      String restorePath,
      Integer parallelism,
      Consumer<String> echo)
      throws IOException {
    if (!state.secured()) {
      return state.rest().submit(jar, entryClass, args, restorePath, parallelism);
    }
    List<String> command = new ArrayList<>(List.of("run", "-d"));
    if (parallelism != null) {
      command.addAll(List.of("-p", Integer.toString(parallelism)));
    }
    if (restorePath != null) {
      command.addAll(List.of("-s", restorePath));
    }
    if (entryClass != null) {
      command.addAll(List.of("-c", entryClass));
    }
    command.add(jar.toString());
    command.addAll(args);
    FlinkCli.Result result =
        new FlinkCli(new ClusterLayout(Path.of(state.workDir()))).run(command, echo);
    if (!result.succeeded()) {
      throw new IOException(
          "flink run exited with " + result.exitCode() + ":\n" + tail(result.output(), 15));
    }
    return result
        .jobId()
        .orElseThrow(
            () -> new IOException("flink run printed no job id:\n" + tail(result.output(), 15)));
  }

  private static String tail(List<String> lines, int count) {
    return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }
}
