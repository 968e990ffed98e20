package tally.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The exactly-once sink's own account of the commits it could not make during a run, read from the
 * TaskManagers' logs: the connector logs one WARN or ERROR line per transaction it gives up on,
 * naming the transactional id (which carries the run's prefix) and whether the transaction was
 * restored from a checkpoint ({@code producer=null}) or is the running attempt's own.
 *
 * <p>With reused transactional ids (the POOLING naming) a restored transaction that was committed
 * before the failure is fenced when the failed attempt had already begun a newer one under its id:
 * expected, and counted apart. Every other line is a commit the connector dropped, which is data
 * lost unless the audit says otherwise; the report lists them.
 *
 * @param restoredFenced restored transactions whose commit was fenced
 * @param others every other commit the sink gave up on, as "file: log line"
 */
record SinkCommitLog(int restoredFenced, List<String> others) {

  private static final String COMMITTER =
      "org.apache.flink.connector.kafka.sink.internal.KafkaCommitter";
  private static final Pattern WARN_OR_ERROR = Pattern.compile("^\\S+ \\S+ (WARN|ERROR) ");
  private static final int LONGEST_LINE = 400;

  static final SinkCommitLog NONE = new SinkCommitLog(0, List.of());

  SinkCommitLog {
    others = List.copyOf(others);
  }

  /**
   * Reads every {@code taskmanager*.log} under {@code logsDir}, and the {@code .N} files log4j
   * rolled over from them, for transactional ids under {@code idPrefix}.
   */
  static SinkCommitLog read(Path logsDir, String idPrefix) {
    if (!Files.isDirectory(logsDir)) {
      return NONE;
    }
    String ids = "transactionalId='" + idPrefix + "-";
    int restoredFenced = 0;
    List<String> others = new ArrayList<>();
    try (Stream<Path> files = Files.list(logsDir)) {
      for (Path file :
          files
              .filter(f -> f.getFileName().toString().matches("taskmanager.*\\.log(\\.\\d+)?"))
              .sorted()
              .toList()) {
        try (BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (!line.contains(COMMITTER)
                || !line.contains(ids)
                || !WARN_OR_ERROR.matcher(line).find()) {
              continue;
            }
            if (line.contains("producer=null}") && line.contains("already fenced")) {
              restoredFenced++;
            } else {
              String shown = line.replace(COMMITTER, "KafkaCommitter");
              others.add(
                  file.getFileName()
                      + ": "
                      + (shown.length() > LONGEST_LINE
                          ? shown.substring(0, LONGEST_LINE) + "..."
                          : shown));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the TaskManager logs in " + logsDir, e);
    }
    return new SinkCommitLog(restoredFenced, others);
  }
}
