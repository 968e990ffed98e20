package tally.cluster;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import tally.support.cli.WorkDirOption;

/** {@code --work-dir}: which cluster (default {@code .tally/cluster} under the repository). */
public final class ClusterDirOption {

  /** Default: {@code .tally/cluster} under the repository (looked up only when needed). */
  @Mixin WorkDirOption dir = new WorkDirOption();

  public ClusterLayout layout() {
    Path workDir = dir.workDir;
    return new ClusterLayout(workDir != null ? workDir : TallyHome.locate().defaultClusterDir());
  }
}
