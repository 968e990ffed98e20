package tally.kafka.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.testcontainers.DockerClientFactory;

/**
 * Decides between the embedded broker and Testcontainers.
 *
 * <p>The system property {@value #PROPERTY} wins over the environment variable {@value #ENV}; each
 * is {@code auto} (default), {@code embedded} or {@code testcontainers}. {@code auto} uses
 * Testcontainers only if a Docker engine answers. Asking Testcontainers costs ~0.6 s and logs an
 * ERROR where there is no engine, so it is asked only where a Docker socket is configured or
 * present.
 */
public final class ProviderSelection {

  public static final String PROPERTY = "tally.kafka.provider";
  public static final String ENV = "TALLY_KAFKA_PROVIDER";

  /** A concrete provider (never {@link KafkaProvider#AUTO}) and why it was chosen, for the log. */
  public record Choice(KafkaProvider provider, String reason) {}

  private ProviderSelection() {}

  /** Reads this JVM's system property, environment and Docker socket; may ask Testcontainers. */
  public static Choice fromEnvironment() {
    Map<String, String> env = System.getenv();
    return choose(
        System.getProperty(PROPERTY),
        env.get(ENV),
        dockerSocketPresent(env),
        ProviderSelection::dockerAnswers);
  }

  /**
   * The decision as a pure function. {@code dockerAnswers} is called only when it matters: provider
   * {@code auto} and a Docker socket present.
   */
  public static Choice choose(
      String property, String env, boolean dockerSocketPresent, BooleanSupplier dockerAnswers) {
    String source;
    KafkaProvider requested;
    if (isSet(property)) {
      source = "system property " + PROPERTY + "=" + property.trim();
      requested = KafkaProvider.parse(property, "system property " + PROPERTY);
    } else if (isSet(env)) {
      source = "environment variable " + ENV + "=" + env.trim();
      requested = KafkaProvider.parse(env, "environment variable " + ENV);
    } else {
      source = "default auto";
      requested = KafkaProvider.AUTO;
    }
    if (requested != KafkaProvider.AUTO) {
      return new Choice(requested, source);
    }
    if (!dockerSocketPresent) {
      return new Choice(
          KafkaProvider.EMBEDDED,
          source + ": no Docker socket (DOCKER_HOST unset, no docker.sock)");
    }
    if (dockerAnswers.getAsBoolean()) {
      return new Choice(KafkaProvider.TESTCONTAINERS, source + ": a Docker engine answers");
    }
    return new Choice(
        KafkaProvider.EMBEDDED, source + ": a Docker socket exists but no engine answers");
  }

  /**
   * {@code DOCKER_HOST} is set, or a Docker socket exists at a usual place (system, Docker Desktop,
   * rootless).
   */
  static boolean dockerSocketPresent(Map<String, String> env) {
    return isSet(env.get("DOCKER_HOST"))
        || dockerSocketCandidates(env, Path.of(System.getProperty("user.home"))).stream()
            .anyMatch(Files::exists);
  }

  static List<Path> dockerSocketCandidates(Map<String, String> env, Path userHome) {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("/var/run/docker.sock"));
    candidates.add(userHome.resolve(".docker/run/docker.sock"));
    String runtimeDir = env.get("XDG_RUNTIME_DIR");
    if (isSet(runtimeDir)) {
      candidates.add(Path.of(runtimeDir, "docker.sock"));
    }
    return candidates;
  }

  private static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
