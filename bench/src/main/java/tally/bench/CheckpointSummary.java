package tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import tally.cluster.FlinkRestClient;

/**
 * The checkpoints a run completed while it caught up, from the REST API's checkpoint history (the
 * bench raises {@code web.checkpoints.history} so none is dropped).
 *
 * @param durationMillis end-to-end duration (trigger to last acknowledgement) of each checkpoint
 * @param incrementalBytes median size of what a checkpoint uploaded (incremental RocksDB)
 * @param fullStateBytes full state size at the last checkpoint
 */
record CheckpointSummary(
    int completed,
    int failed,
    Distribution durationMillis,
    long incrementalBytes,
    long fullStateBytes) {

  static final CheckpointSummary NONE = new CheckpointSummary(0, 0, Distribution.EMPTY, -1, -1);

  /** Checkpoints triggered at or after {@code fromEpochMillis}. */
  static CheckpointSummary read(FlinkRestClient rest, String jobId, long fromEpochMillis)
      throws IOException, InterruptedException {
    JsonNode stats = rest.get("/jobs/" + jobId + "/checkpoints");
    List<Long> durations = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    long fullState = -1;
    long newestId = -1;
    int failed = 0;
    for (JsonNode checkpoint : stats.path("history")) {
      if (checkpoint.path("is_savepoint").asBoolean(false)
          || checkpoint.path("trigger_timestamp").asLong() < fromEpochMillis) {
        continue;
      }
      String status = checkpoint.path("status").asText();
      if ("FAILED".equals(status)) {
        failed++;
      } else if ("COMPLETED".equals(status)) {
        durations.add(checkpoint.path("end_to_end_duration").asLong());
        sizes.add(checkpoint.path("checkpointed_size").asLong());
        if (checkpoint.path("id").asLong() > newestId) {
          newestId = checkpoint.path("id").asLong();
          fullState = checkpoint.path("state_size").asLong();
        }
      }
    }
    long[] sizeArray = sizes.stream().mapToLong(Long::longValue).toArray();
    return new CheckpointSummary(
        durations.size(),
        failed,
        Distribution.of(durations.stream().mapToLong(Long::longValue).toArray()),
        Distribution.of(sizeArray).p50(),
        fullState);
  }
}
