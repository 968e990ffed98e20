package tally.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The classpath of each kind of cluster process, written by the build (tooling/pom.xml, {@code
 * cluster-classpath-*}) as resources: jars from the local Maven repository only. A Flink process
 * gets the Flink runtime (no connector, no Tally jar: jobs bring theirs in the submitted jar); a
 * broker gets Kafka and no Flink; ZooKeeper gets ZooKeeper.
 */
public enum RoleClasspath {
  FLINK("flink"),
  KAFKA("kafka"),
  ZOOKEEPER("zookeeper");

  private final String resource;

  RoleClasspath(String name) {
    this.resource = "/tally/cluster/" + name + ".classpath";
  }

  /** The jars, in order; every one exists. */
  public List<Path> jars() {
    try (InputStream in = RoleClasspath.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the build did not write " + resource + ": rebuild with 'mvn -B -DskipTests install'");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      List<Path> jars =
          Arrays.stream(text.split(java.io.File.pathSeparator))
              .filter(entry -> !entry.isBlank())
              .map(Path::of)
              .toList();
      for (Path jar : jars) {
        if (!Files.isRegularFile(jar)) {
          throw new IllegalStateException(
              jar
                  + " (on the "
                  + name().toLowerCase()
                  + " classpath) is missing: "
                  + "rebuild with 'mvn -B -DskipTests install'");
        }
      }
      return jars;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** The jars joined for {@code -cp}. */
  public String asArgument() {
    return String.join(java.io.File.pathSeparator, jars().stream().map(Path::toString).toList());
  }
}
