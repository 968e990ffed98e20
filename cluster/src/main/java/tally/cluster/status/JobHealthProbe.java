package tally.cluster.status;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tally.cluster.FlinkRestClient;

/** Reads {@link JobHealth} from the Flink REST API: job, checkpoint, task and operator metrics. */
public final class JobHealthProbe {

  private static final Set<String> TERMINAL = Set.of("FINISHED", "CANCELED", "FAILED");
  private static final String TALLY_GROUP = ".tally.";

  private final FlinkRestClient rest;

  public JobHealthProbe(FlinkRestClient rest) {
    this.rest = rest;
  }

  /** The Flink version the cluster reports, or "?". */
  public String flinkVersion() throws IOException {
    return rest.get("/config").path("flink-version").asText("?");
  }

  /**
   * Ids of the jobs to report: the one matching {@code job} (an id or a name), else every job that
   * is not finished, cancelled or failed, else the most recently started one.
   */
  public List<String> selectJobs(String job) throws IOException {
    List<JsonNode> jobs = new ArrayList<>();
    rest.get("/jobs/overview").path("jobs").forEach(jobs::add);
    jobs.sort((a, b) -> Long.compare(b.path("start-time").asLong(), a.path("start-time").asLong()));
    List<String> ids = new ArrayList<>();
    if (job != null) {
      for (JsonNode candidate : jobs) {
        if (job.equals(candidate.path("jid").asText())
            || job.equals(candidate.path("name").asText())) {
          ids.add(candidate.path("jid").asText());
          if (!TERMINAL.contains(candidate.path("state").asText())) {
            return List.of(ids.get(ids.size() - 1)); // a live job of that name wins over old ones
          }
        }
      }
      return ids.isEmpty() ? List.of() : List.of(ids.get(0));
    }
    for (JsonNode candidate : jobs) {
      if (!TERMINAL.contains(candidate.path("state").asText())) {
        ids.add(candidate.path("jid").asText());
      }
    }
    if (ids.isEmpty() && !jobs.isEmpty()) {
      ids.add(jobs.get(0).path("jid").asText());
    }
    return ids;
  }

  public JobHealth read(String jobId) throws IOException {
    JsonNode job = rest.get("/jobs/" + jobId);
    String state = job.path("state").asText("UNKNOWN");
    long now = job.path("now").asLong(System.currentTimeMillis());
    long since = job.path("timestamps").path(state).asLong(job.path("start-time").asLong(now));

    List<String> notRunning = new ArrayList<>();
    for (JsonNode vertex : job.path("vertices")) {
      String status = vertex.path("status").asText();
      if ("RUNNING".equals(state) && !"RUNNING".equals(status) && !"FINISHED".equals(status)) {
        notRunning.add(vertex.path("name").asText() + " " + status);
      }
    }

    Checkpoints checkpoints = readCheckpoints(jobId, now);
    OperatorMetrics metrics =
        "RUNNING".equals(state) ? readOperatorMetrics(jobId, job) : OperatorMetrics.NONE;

    return new JobHealth(
        jobId,
        job.path("name").asText(),
        state,
        job.path("start-time").asLong(),
        since,
        now,
        restarts(jobId),
        notRunning,
        checkpoints.intervalMillis,
        checkpoints.completed,
        checkpoints.failed,
        checkpoints.inProgress,
        checkpoints.lastId,
        checkpoints.lastAgeMillis,
        checkpoints.lastDurationMillis,
        checkpoints.lastSizeBytes,
        checkpoints.lastFullSizeBytes,
        checkpoints.lastFailure,
        metrics.recordsInPerSecond,
        metrics.recordsOutPerSecond,
        metrics.pendingRecords,
        metrics.emitEventTimeLagMillis,
        metrics.maxBackPressuredPercent,
        metrics.maxBusyPercent,
        metrics.counters,
        metrics.stateKeys,
        metrics.stateBytes);
  }

  private long restarts(String jobId) throws IOException {
    for (JsonNode metric : rest.get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
      return (long) number(metric.path("value").asText());
    }
    return 0;
  }

  private static final class Checkpoints {
    long intervalMillis = -1;
    long completed;
    long failed;
    long inProgress;
    long lastId = -1;
    long lastAgeMillis = -1;
    long lastDurationMillis = -1;
    long lastSizeBytes = -1;
    long lastFullSizeBytes = -1;
    String lastFailure;
  }

  private Checkpoints readCheckpoints(String jobId, long now) throws IOException {
    Checkpoints result = new Checkpoints();
    JsonNode config;
    try {
      config = rest.get("/jobs/" + jobId + "/checkpoints/config");
    } catch (IOException notCheckpointed) {
      return result; // checkpointing is off: nothing to report
    }
    long interval = config.path("interval").asLong(-1);
    result.intervalMillis = interval <= 0 || interval == Long.MAX_VALUE ? -1 : interval;
    JsonNode stats = rest.get("/jobs/" + jobId + "/checkpoints");
    result.completed = stats.path("counts").path("completed").asLong();
    result.failed = stats.path("counts").path("failed").asLong();
    result.inProgress = stats.path("counts").path("in_progress").asLong();
    JsonNode last = stats.path("latest").path("completed");
    if (last.isObject()) {
      result.lastId = last.path("id").asLong();
      result.lastAgeMillis = Math.max(0, now - last.path("latest_ack_timestamp").asLong(now));
      result.lastDurationMillis = last.path("end_to_end_duration").asLong(-1);
      result.lastSizeBytes = last.path("checkpointed_size").asLong(-1);
      result.lastFullSizeBytes = last.path("state_size").asLong(-1);
    }
    JsonNode failed = stats.path("latest").path("failed");
    if (failed.isObject() && failed.path("id").asLong() > result.lastId) {
      result.lastFailure = failed.path("failure_message").asText(null);
    }
    return result;
  }

  private record OperatorMetrics(
      double recordsInPerSecond,
      double recordsOutPerSecond,
      long pendingRecords,
      long emitEventTimeLagMillis,
      double maxBackPressuredPercent,
      double maxBusyPercent,
      Map<String, Long> counters,
      Map<String, Long> stateKeys,
      Map<String, Long> stateBytes) {
    static final OperatorMetrics NONE =
        new OperatorMetrics(-1, -1, -1, -1, -1, -1, Map.of(), Map.of(), Map.of());
  }

  /**
   * Operator metrics are listed per vertex under names like {@code <operator>.pendingRecords}; each
   * is read aggregated over the vertex's subtasks. The REST API refreshes them every 10 s ({@code
   * metrics.fetcher.update-interval}).
   */
  private OperatorMetrics readOperatorMetrics(String jobId, JsonNode job) throws IOException {
    double in = -1;
    double out = -1;
    long pending = -1;
    long lag = -1;
    double backPressured = -1;
    double busy = -1;
    Map<String, Long> counters = new LinkedHashMap<>();
    Map<String, Long> stateKeys = new LinkedHashMap<>();
    Map<String, Long> stateBytes = new LinkedHashMap<>();
    for (JsonNode vertex : job.path("vertices")) {
      String path =
          "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
      List<String> wanted = new ArrayList<>();
      for (JsonNode metric : rest.get(path)) {
        String id = metric.path("id").asText();
        if (isWanted(id)) {
          wanted.add(id);
        }
      }
      if (wanted.isEmpty()) {
        continue;
      }
      JsonNode values =
          rest.get(path + "?agg=sum,max&get=" + FlinkRestClient.encode(String.join(",", wanted)));
      for (JsonNode value : values) {
        String id = value.path("id").asText();
        double sum = value.path("sum").asDouble(Double.NaN);
        double max = value.path("max").asDouble(Double.NaN);
        if (Double.isNaN(sum)) {
          continue;
        }
        if (id.startsWith("Source") && id.endsWith(".numRecordsOutPerSecond")) {
          in = Math.max(in, 0) + sum;
        } else if (id.endsWith(".numRecordsSendPerSecond")) {
          out = Math.max(out, 0) + sum;
        } else if (id.endsWith(".pendingRecords")) {
          pending = Math.max(pending, 0) + (long) sum;
        } else if (id.endsWith(".currentEmitEventTimeLag")) {
          lag = Math.max(lag, (long) max);
        } else if (id.equals("backPressuredTimeMsPerSecond")) {
          backPressured = Math.max(backPressured, max / 10.0);
        } else if (id.equals("busyTimeMsPerSecond")) {
          busy = Math.max(busy, max / 10.0);
        } else if (id.contains("_timer_state")) {
          continue; // Flink's internal timer queues, not the job's state
        } else if (id.endsWith(NUM_KEYS)) {
          stateKeys.merge(stateName(id, NUM_KEYS), (long) sum, Long::sum);
        } else if (id.endsWith(LIVE_BYTES)) {
          stateBytes.merge(stateName(id, LIVE_BYTES), (long) sum, Long::sum);
        } else if (id.contains(TALLY_GROUP)) {
          String name = id.substring(id.lastIndexOf(TALLY_GROUP) + TALLY_GROUP.length());
          counters.merge(name, (long) sum, Long::sum);
        }
      }
    }
    return new OperatorMetrics(
        in, out, pending, lag, backPressured, busy, counters, stateKeys, stateBytes);
  }

  /** RocksDB's native estimates, one per state (column family), when the job enables them. */
  private static final String NUM_KEYS = ".rocksdb.estimate-num-keys";

  private static final String LIVE_BYTES = ".rocksdb.estimate-live-data-size";

  /** {@code <operator>.<state>.rocksdb.estimate-num-keys} -> {@code <state>}. */
  private static String stateName(String id, String suffix) {
    String scoped = id.substring(0, id.length() - suffix.length());
    return scoped.substring(scoped.lastIndexOf('.') + 1);
  }

  private static boolean isWanted(String id) {
    return (id.startsWith("Source") && id.endsWith(".numRecordsOutPerSecond"))
        || id.endsWith(".numRecordsSendPerSecond")
        || id.endsWith(".pendingRecords")
        || id.endsWith(".currentEmitEventTimeLag")
        || id.equals("backPressuredTimeMsPerSecond")
        || id.equals("busyTimeMsPerSecond")
        || id.endsWith(NUM_KEYS)
        || id.endsWith(LIVE_BYTES)
        || (id.contains(TALLY_GROUP) && !id.endsWith("PerSecond"));
  }

  private static double number(String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
