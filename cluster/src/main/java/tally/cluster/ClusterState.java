package tally.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import tally.connectors.kafka.KafkaConnection;

/**
 * {@code cluster.json}: the cluster's ports and processes, so that {@code status}, {@code down} and
 * {@code chaos} run from another invocation find them. Written atomically (temp file + rename).
 */
public record ClusterState(
    String workDir,
    ClusterPorts ports,
    String kafkaClusterId,
    long createdAtMillis,
    List<ClusterProcess> processes,
    boolean secured,
    ClusterNetwork network) {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public ClusterState {
    processes = List.copyOf(processes);
  }

  /** Whether the processes run in the cluster's own network ({@link ClusterNetwork}). */
  public Optional<ClusterNetwork> ownNetwork() {
    return Optional.ofNullable(network);
  }

  public static Optional<ClusterState> load(ClusterLayout layout) {
    Path file = layout.stateFile();
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), ClusterState.class));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + file + " (delete it if the cluster is gone)", e);
    }
  }

  /** The state, or an exception telling how to start a cluster. */
  public static ClusterState require(ClusterLayout layout) {
    return load(layout)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no cluster under "
                        + layout.root()
                        + ": start one with 'bin/tally cluster up'"));
  }

  public void save(ClusterLayout layout) {
    Path file = layout.stateFile();
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      JSON.writeValue(temp.toFile(), this);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static void delete(ClusterLayout layout) {
    try {
      Files.deleteIfExists(layout.stateFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + layout.stateFile(), e);
    }
  }

  /** The cluster's Kafka as Tally's tools reach it (on a secured cluster: as the admin). */
  public KafkaConnection kafka() {
    return kafka(ClusterSecurity.ADMIN);
  }

  /**
   * The cluster's Kafka as {@code principal} reaches it (one of {@link
   * tally.kafka.local.BrokerSecurity#DEFAULT_PRINCIPALS}); a plaintext cluster has no principals.
   */
  public KafkaConnection kafka(String principal) {
    return secured
        ? security().connection(ports.bootstrapServers(), principal)
        : KafkaConnection.to(ports.bootstrapServers());
  }

  /** The client properties file of {@code principal}: only a secured cluster has them. */
  public Optional<Path> clientFile(String principal) {
    return secured ? Optional.of(security().clientFile(principal)) : Optional.empty();
  }

  public ClusterSecurity security() {
    if (!secured) {
      throw new IllegalStateException("the cluster under " + workDir + " is not secured");
    }
    return ClusterSecurity.load(new ClusterLayout(Path.of(workDir)));
  }

  /** The first JobManager's Web UI and REST API: https on a secured cluster. */
  public String webUiUrl() {
    return ports.webUiUrl(secured);
  }

  /** Every JobManager's Web UI (the standby's answers too, through the leader). */
  public List<String> webUiUrls() {
    return processes(ProcessRole.JOBMANAGER).stream()
        .map(jm -> ports.webUiUrl(jm.name(), secured))
        .toList();
  }

  /**
   * A client of the cluster's REST API, on whichever JobManager answers (trusting the cluster's CA
   * when secured).
   */
  public FlinkRestClient rest() {
    return new FlinkRestClient(webUiUrls(), restTrust());
  }

  /** A client of one JobManager's own REST endpoint. */
  public FlinkRestClient rest(String jobManager) {
    return new FlinkRestClient(List.of(ports.webUiUrl(jobManager, secured)), restTrust());
  }

  /** The cluster's CA for REST over TLS, null on a plaintext cluster. */
  private SSLContext restTrust() {
    return secured ? security().restTrust() : null;
  }

  public ClusterProcess process(String name) {
    return processes.stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no process '" + name + "' in this cluster"));
  }

  public List<ClusterProcess> processes(ProcessRole role) {
    return processes.stream().filter(p -> p.role() == role).toList();
  }

  /** This state with {@code updated} replacing the process of the same name. */
  public ClusterState with(ClusterProcess updated) {
    List<ClusterProcess> list = new ArrayList<>();
    for (ClusterProcess p : processes) {
      list.add(p.name().equals(updated.name()) ? updated : p);
    }
    return new ClusterState(
        workDir, ports, kafkaClusterId, createdAtMillis, list, secured, network);
  }
}
