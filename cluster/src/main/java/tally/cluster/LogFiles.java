package tally.cluster;

import java.nio.file.Path;
import tally.kafka.local.LogTail;

/** The log tails shown when a cluster process failed. */
final class LogFiles {
  private LogFiles() {}

  /** What to show when a process failed: the tails of its .out and its log. */
  static String describe(ClusterProcess process) {
    return "last lines of "
        + process.out()
        + ":\n"
        + LogTail.lastLines(Path.of(process.out()), 15)
        + "\nlast lines of "
        + process.log()
        + ":\n"
        + LogTail.lastLines(Path.of(process.log()), 15);
  }
}
