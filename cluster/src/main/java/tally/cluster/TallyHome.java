package tally.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Tally repository this tooling runs from: where {@code deploy/} (the cluster's configuration
 * files), the job jar and the default work directory are. Found from the location of this class
 * ({@code <repo>/tooling/target/...}), else from the working directory upwards.
 */
public record TallyHome(Path root) {

  static final String FLINK_CONFIG = "deploy/flink/config.yaml";

  /** The repository, or an exception saying how to point at it. */
  public static TallyHome locate() {
    return fromCodeLocation()
        .or(() -> searchUpwards(Path.of("").toAbsolutePath()))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "cannot find Tally's "
                        + FLINK_CONFIG
                        + ": run bin/tally from a Tally checkout"));
  }

  public Path deployDir() {
    return root.resolve("deploy");
  }

  public Path flinkDeployDir() {
    return deployDir().resolve("flink");
  }

  public Path kafkaDeployDir() {
    return deployDir().resolve("kafka");
  }

  public Path zookeeperDeployDir() {
    return deployDir().resolve("zookeeper");
  }

  /** Default work directory of the no-Docker cluster. */
  public Path defaultClusterDir() {
    return root.resolve(".tally").resolve("cluster");
  }

  /** {@code jobs/target/tally-jobs-<version>.jar}: the production job jar (shaded). */
  public Path jobJar() {
    return applicationJar("jobs");
  }

  /**
   * {@code e2e-tests/target/tally-e2e-tests-<version>.jar}: the ledger job with its failure
   * injector.
   */
  public Path testJobJar() {
    return applicationJar("e2e-tests");
  }

  /** The shaded Flink application jar a module builds (not {@code original-...}, not test jars). */
  private Path applicationJar(String module) {
    Path target = root.resolve(module).resolve("target");
    if (Files.isDirectory(target)) {
      try (Stream<Path> files = Files.list(target)) {
        Optional<Path> jar =
            files
                .filter(p -> p.getFileName().toString().matches("tally-" + module + "-.*\\.jar"))
                .filter(p -> !p.getFileName().toString().contains("-tests.jar"))
                .max(Comparator.comparing(Path::toString));
        if (jar.isPresent()) {
          return jar.get();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException(
        "no job jar under " + target + ": build it with 'mvn -B -DskipTests install'");
  }

  private static Optional<TallyHome> fromCodeLocation() {
    try {
      var source = TallyHome.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return Optional.empty();
      }
      return searchUpwards(Path.of(source.getLocation().toURI()));
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<TallyHome> searchUpwards(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(FLINK_CONFIG))) {
        return Optional.of(new TallyHome(dir));
      }
    }
    return Optional.empty();
  }
}
