package tally.support.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --work-dir}: where a verb keeps what it makes (broker data, checkpoints, logs, reports).
 * Each verb chooses its default by constructing the option, and says which in its description.
 */
public class WorkDirOption {
  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "Where this command keeps its files (broker data, checkpoints, logs, reports); its"
              + " default is in the command's description above.")
  public Path workDir;

  public WorkDirOption(Path defaultDir) {
    this.workDir = defaultDir;
  }

  /** No default: the verb decides (e.g. a temporary directory). */
  public WorkDirOption() {
    this(null);
  }
}
