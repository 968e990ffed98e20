package tally.cluster;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --work-dir}: which cluster (default {@code .tally/cluster} under the repository). */
public final class ClusterDirOption {

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "The cluster's work directory: processes, configuration, data, logs (default: .tally/cluster under the repository).")
  Path workDir;

  public ClusterLayout layout() {
    return new ClusterLayout(workDir != null ? workDir : TallyHome.locate().defaultClusterDir());
  }
}
