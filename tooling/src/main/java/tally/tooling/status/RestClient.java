package tally.tooling.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** GETs JSON from the Flink REST API (the one the Web UI uses). */
public final class RestClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final String baseUrl;

  public RestClient(String baseUrl) {
    URI uri = URI.create(baseUrl.trim()); // IllegalArgumentException on a malformed URL
    if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
      throw new IllegalArgumentException("'" + baseUrl + "' is not an http(s) URL such as http://localhost:8081");
    }
    String text = uri.toString();
    this.baseUrl = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /**
   * @throws IOException with a one-line reason when Flink does not answer or answers with an error
   */
  public JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response;
    try {
      response = http.send(
          HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new IOException("no Flink REST API answers at " + baseUrl + " (is the job's cluster running?)", e);
    }
    if (response.statusCode() != 200) {
      throw new IOException("GET " + baseUrl + path + " answered HTTP " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
