package tally.cluster;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CoreOptions;

/**
 * Runs Flink's CLI ({@code org.apache.flink.client.cli.CliFrontend}) as {@code bin/flink} does: its
 * own JVM with the Flink runtime classpath and {@code FLINK_CONF_DIR} = the cluster's conf dir. Its
 * own JVM matters: a job's main() runs in the client with the job jar child-first on top of Flink,
 * and must not see the tooling's copies of the Kafka connector (a loader-constraint violation).
 */
public final class FlinkCli {
  static final String MAIN = "org.apache.flink.client.cli.CliFrontend";
  private static final Pattern SAVEPOINT =
      Pattern.compile("Savepoint (?:completed|stored in)\\.? Path: (\\S+)");
  private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

  private final ClusterLayout layout;

  public FlinkCli(ClusterLayout layout) {
    this.layout = layout;
  }

  /** Exit code and everything the CLI printed. */
  public record Result(int exitCode, List<String> output) {
    public boolean succeeded() {
      return exitCode == 0;
    }

    /** The job id {@code flink run -d} printed ("Job has been submitted with JobID ..."). */
    public Optional<String> jobId() {
      return find(JOB_ID);
    }

    /** The path {@code flink stop}/{@code flink savepoint} printed. */
    public Optional<String> savepointPath() {
      return find(SAVEPOINT);
    }

    private Optional<String> find(Pattern pattern) {
      for (String line : output) {
        Matcher matcher = pattern.matcher(line);
        if (matcher.find()) {
          return Optional.of(matcher.group(1));
        }
      }
      return Optional.empty();
    }

    public String text() {
      return String.join(System.lineSeparator(), output);
    }
  }

  /** Runs {@code flink ARGS}, passing each output line to {@code echo} as it comes. */
  public Result run(List<String> args, Consumer<String> echo) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String jvmOptions = FlinkConfigFiles.load(layout.confDir()).get(CoreOptions.FLINK_JVM_OPTIONS);
    if (jvmOptions != null && !jvmOptions.isBlank()) {
      command.addAll(List.of(jvmOptions.trim().split("\\s+")));
    }
    command.add("-Dlog.file=" + layout.logFile("flink-cli"));
    command.add("-Dlog4j.configurationFile=" + layout.flinkLog4j().toUri());
    command.add("-classpath");
    command.add(RoleClasspath.FLINK.asArgument());
    command.add(MAIN);
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().put("FLINK_CONF_DIR", layout.confDir().toString());
    List<String> output = new ArrayList<>();
    try {
      Process process = builder.start();
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          output.add(line);
          echo.accept(line);
        }
      }
      return new Result(process.waitFor(), output);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run Flink's CLI: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while Flink's CLI ran", e);
    }
  }
}
