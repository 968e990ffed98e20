package tally.tooling.cluster;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a process's log, for error messages (reads at most the last 64 KiB). */
final class LogFiles {
  private static final int MAX_BYTES = 64 * 1024;

  private LogFiles() {}

  static String tail(String file, int lines) {
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      return "(" + path.getFileName() + " does not exist)";
    }
    try (RandomAccessFile in = new RandomAccessFile(path.toFile(), "r")) {
      long length = in.length();
      int size = (int) Math.min(length, MAX_BYTES);
      byte[] bytes = new byte[size];
      in.seek(length - size);
      in.readFully(bytes);
      List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
      return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + path + ": " + e.getMessage() + ")";
    }
  }

  /** What to show when a process failed: the tails of its .out and its log. */
  static String describe(ClusterProcess process) {
    return "last lines of " + process.out() + ":\n" + tail(process.out(), 15)
        + "\nlast lines of " + process.log() + ":\n" + tail(process.log(), 15);
  }
}
