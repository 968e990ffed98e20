package tally.support.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --work-dir}: where a verb keeps what it makes (broker data, checkpoints, logs, reports).
 * Each verb chooses its default by constructing the option; none means a temporary directory.
 */
public class WorkDirOption {
  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "Where this command keeps its files: broker data, checkpoints, logs (default:"
              + " ${DEFAULT-VALUE}; none = a temporary directory, deleted at the end).")
  public Path workDir;

  public WorkDirOption(Path defaultDir) {
    this.workDir = defaultDir;
  }

  /** A temporary directory unless {@code --work-dir} is given. */
  public WorkDirOption() {
    this(null);
  }
}
