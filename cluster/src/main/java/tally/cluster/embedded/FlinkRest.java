package tally.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.flink.api.common.JobID;

/** Reads a job's health from the Flink REST API (the same data the Web UI shows). */
public final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String baseUrl;

  public FlinkRest(String baseUrl) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  /** What an operator looks at first. */
  public record JobHealth(
      String state, long restarts, long checkpointsCompleted, long checkpointsFailed, long lastCheckpointMillis) {}

  public JobHealth health(JobID job) throws IOException, InterruptedException {
    JsonNode overview = get("/jobs/" + job);
    JsonNode checkpoints = get("/jobs/" + job + "/checkpoints");
    JsonNode restarts = get("/jobs/" + job + "/metrics?get=numRestarts");
    long restartCount = 0;
    for (JsonNode metric : restarts) {
      restartCount = metric.path("value").asLong(0);
    }
    return new JobHealth(
        overview.path("state").asText("UNKNOWN"),
        restartCount,
        checkpoints.path("counts").path("completed").asLong(0),
        checkpoints.path("counts").path("failed").asLong(0),
        checkpoints.path("latest").path("completed").path("end_to_end_duration").asLong(-1));
  }

  /** True when the Web UI's front page answers. */
  public boolean webUiAnswers() {
    try {
      HttpResponse<String> response =
          http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/")).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("<html");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }
}
