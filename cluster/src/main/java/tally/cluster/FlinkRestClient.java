package tally.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The parts of Flink's REST API the cluster tooling needs (the same API the Web UI uses): cluster
 * overview, TaskManagers, jobs, their exceptions, and submitting a jar with arguments, which is the
 * REST equivalent of {@code flink run -d} (~2 s instead of 6-8 s for the CLI on 2 cores).
 *
 * <p>Given the endpoints of several JobManagers (HA with a standby), a request goes to the one that
 * answered last and moves on to the next when that one refuses the connection or answers 503 (no
 * leader known to it): a killed JobManager does not stop the tooling while its standby leads.
 */
public final class FlinkRestClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int SERVICE_UNAVAILABLE = 503;

  private final HttpClient http;
  private final List<String> baseUrls;
  private volatile int preferred;

  /**
   * @throws IllegalArgumentException when {@code baseUrl} is not an http(s) URL with a host
   */
  public FlinkRestClient(String baseUrl) {
    this(baseUrl, null);
  }

  /**
   * For a REST endpoint with TLS: {@code tls} trusts its certificate (null: the JVM's default
   * trust).
   */
  public FlinkRestClient(String baseUrl, javax.net.ssl.SSLContext tls) {
    this(List.of(baseUrl), tls);
  }

  /** The REST endpoints of every JobManager of one cluster, in the order to try them. */
  public FlinkRestClient(List<String> baseUrls, javax.net.ssl.SSLContext tls) {
    if (baseUrls.isEmpty()) {
      throw new IllegalArgumentException("give at least one Flink REST URL");
    }
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.http = builder.build();
    this.baseUrls = baseUrls.stream().map(FlinkRestClient::normalized).toList();
  }

  private static String normalized(String baseUrl) {
    URI uri = URI.create(baseUrl.trim()); // IllegalArgumentException on a malformed URL
    if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "'" + baseUrl + "' is not an http(s) URL such as http://localhost:8081");
    }
    String text = uri.toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  /** The endpoint that answered last (the first one before any request). */
  public String baseUrl() {
    return baseUrls.get(preferred);
  }

  /** A job as /jobs/overview lists it. */
  public record JobSummary(String id, String name, String state, long startTime) {}

  /**
   * A registered TaskManager; {@code path} (its RPC address) changes when a new process takes over
   * the id.
   */
  public record TaskManager(String id, String path, int slots, int freeSlots) {}

  /**
   * One entry of a job's exception history; {@code firstLine} is the first line of its stack trace
   * ("java.lang.X: message"), empty if the entry has none.
   */
  public record ExceptionHistoryEntry(
      long timestamp, String exceptionName, String taskManagerId, String firstLine) {}

  /** Whether the REST endpoint answers with a leader (HA: 503 during a leader election). */
  public boolean answers() {
    try {
      get("/overview");
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether the Web UI's front page is served (it needs flink-runtime-web on the classpath). */
  public boolean webUiAnswers() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri(baseUrl(), "/")).timeout(TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("<html");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public List<TaskManager> taskManagers() throws IOException {
    List<TaskManager> list = new ArrayList<>();
    for (JsonNode tm : get("/taskmanagers").path("taskmanagers")) {
      list.add(
          new TaskManager(
              tm.path("id").asText(),
              tm.path("path").asText(),
              tm.path("slotsNumber").asInt(),
              tm.path("freeSlots").asInt()));
    }
    return list;
  }

  public List<JobSummary> jobs() throws IOException {
    List<JobSummary> list = new ArrayList<>();
    for (JsonNode job : get("/jobs/overview").path("jobs")) {
      list.add(
          new JobSummary(
              job.path("jid").asText(),
              job.path("name").asText(),
              job.path("state").asText(),
              job.path("start-time").asLong()));
    }
    return list;
  }

  public Optional<JobSummary> job(String jobId) throws IOException {
    return jobs().stream().filter(job -> job.id().equals(jobId)).findFirst();
  }

  /**
   * True when the job is RUNNING and every one of its tasks is RUNNING too (not just scheduled).
   */
  public boolean allTasksRunning(String jobId) throws IOException {
    JsonNode job = get("/jobs/" + jobId);
    if (!"RUNNING".equals(job.path("state").asText())) {
      return false;
    }
    for (JsonNode vertex : job.path("vertices")) {
      if (!"RUNNING".equals(vertex.path("status").asText())) {
        return false;
      }
    }
    return true;
  }

  public List<ExceptionHistoryEntry> exceptions(String jobId) throws IOException {
    List<ExceptionHistoryEntry> list = new ArrayList<>();
    for (JsonNode entry :
        get("/jobs/" + jobId + "/exceptions?maxExceptions=100")
            .path("exceptionHistory")
            .path("entries")) {
      list.add(
          new ExceptionHistoryEntry(
              entry.path("timestamp").asLong(),
              entry.path("exceptionName").asText(),
              entry.path("taskManagerId").asText(""),
              entry.path("stacktrace").asText("").lines().findFirst().orElse("").strip()));
    }
    return list;
  }

  /**
   * Uploads {@code jar} and runs {@code entryClass} with {@code args} (a savepoint or retained
   * checkpoint to start from, or null); returns the job id. The uploaded jar is deleted afterwards
   * (the JobManager keeps the job's copy in its blob store).
   */
  public String submit(
      Path jar, String entryClass, List<String> args, String restorePath, Integer parallelism)
      throws IOException {
    // The jar is stored by the JobManager that received it: run and delete it there, on one that
    // answers now.
    get("/overview");
    String base = baseUrl();
    String jarId = upload(base, jar);
    try {
      ObjectNode body = JSON.createObjectNode();
      if (entryClass != null) {
        body.put("entryClass", entryClass);
      }
      args.forEach(body.putArray("programArgsList")::add);
      if (restorePath != null) {
        body.put("savepointPath", restorePath);
      }
      if (parallelism != null) {
        body.put("parallelism", parallelism);
      }
      JsonNode answer =
          sendTo(
              HttpRequest.newBuilder(uri(base, "/jars/" + jarId + "/run"))
                  .timeout(Duration.ofMinutes(2))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                  .build());
      return answer.path("jobid").asText();
    } finally {
      sendTo(HttpRequest.newBuilder(uri(base, "/jars/" + jarId)).timeout(TIMEOUT).DELETE().build());
    }
  }

  /** Cancels the job (its retained checkpoints stay). */
  public void cancel(String jobId) throws IOException {
    send(
        base ->
            HttpRequest.newBuilder(uri(base, "/jobs/" + jobId + "?mode=cancel"))
                .timeout(TIMEOUT)
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .build());
  }

  private String upload(String base, Path jar) throws IOException {
    String boundary = "tally-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName()
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(Files.readAllBytes(jar));
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    JsonNode answer =
        sendTo(
            HttpRequest.newBuilder(uri(base, "/jars/upload"))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());
    String file = answer.path("filename").asText();
    return Path.of(file).getFileName().toString();
  }

  public JsonNode get(String path) throws IOException {
    return send(base -> HttpRequest.newBuilder(uri(base, path)).timeout(TIMEOUT).GET().build());
  }

  /** To the endpoint that answered last, else to the others in turn. */
  private JsonNode send(Function<String, HttpRequest> request) throws IOException {
    IOException last = null;
    int first = preferred;
    for (int i = 0; i < baseUrls.size(); i++) {
      int index = (first + i) % baseUrls.size();
      try {
        JsonNode answer = sendTo(request.apply(baseUrls.get(index)));
        preferred = index;
        return answer;
      } catch (Unreachable e) {
        last = e;
      }
    }
    throw last;
  }

  /** Thrown when an endpoint cannot serve the request but another JobManager's might. */
  private static final class Unreachable extends IOException {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private JsonNode sendTo(HttpRequest request) throws IOException {
    HttpResponse<String> response;
    String base = request.uri().getScheme() + "://" + request.uri().getAuthority();
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new Unreachable(
          "no Flink REST API answers at " + base + " (is the job's cluster running?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() == SERVICE_UNAVAILABLE) {
      throw new Unreachable(
          request.method()
              + " "
              + request.uri().getPath()
              + " answered 503 at "
              + base
              + " (no JobManager leads yet): "
              + firstError(response.body()),
          null);
    }
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          request.method()
              + " "
              + request.uri().getPath()
              + " answered "
              + response.statusCode()
              + ": "
              + firstError(response.body()));
    }
    String text = response.body();
    return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
  }

  /** A query parameter value, URL-encoded. */
  public static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static URI uri(String base, String path) {
    return URI.create(base + path);
  }

  private static String firstError(String body) {
    try {
      JsonNode errors = JSON.readTree(body).path("errors");
      if (errors.isArray() && !errors.isEmpty()) {
        return errors.get(0).asText().lines().findFirst().orElse("");
      }
    } catch (IOException | RuntimeException e) {
      // not JSON
    }
    return body == null ? "" : body.lines().findFirst().orElse("");
  }
}
