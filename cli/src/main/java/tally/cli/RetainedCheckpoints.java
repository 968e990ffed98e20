package tally.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;

/** Finds the newest complete retained checkpoint ({@code <dir>/<job-id>/chk-N/_metadata}). */
final class RetainedCheckpoints {
  private RetainedCheckpoints() {}

  static Optional<Path> latest(Path checkpointsDir) {
    if (!Files.isDirectory(checkpointsDir)) {
      return Optional.empty();
    }
    try (Stream<Path> files =
        Files.find(
            checkpointsDir,
            3,
            (path, attrs) ->
                path.getFileName().toString().equals("_metadata")
                    && path.getParent().getFileName().toString().startsWith("chk-"))) {
      return files
          .max(Comparator.comparingLong(RetainedCheckpoints::modified))
          .map(Path::getParent);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void restoreFrom(Configuration conf, Path checkpoint) {
    conf.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString());
  }

  private static long modified(Path path) {
    try {
      return Files.getLastModifiedTime(path).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
