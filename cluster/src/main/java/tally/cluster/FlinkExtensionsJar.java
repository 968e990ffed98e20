package tally.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import tally.cluster.monitoring.LoopbackPrometheusReporter;
import tally.cluster.monitoring.LoopbackPrometheusReporterFactory;

/**
 * The one addition to the Flink processes' classpath (which otherwise holds Flink's jars only): the
 * Prometheus reporter bound to loopback. Written into the work dir at {@code up}, from this
 * module's own classes, so the cluster runs the same code whether Tally runs from the build tree or
 * from an installed jar.
 */
final class FlinkExtensionsJar {
  private static final List<Class<?>> CLASSES =
      List.of(LoopbackPrometheusReporter.class, LoopbackPrometheusReporterFactory.class);

  static final String SERVICE_FILE =
      "META-INF/services/org.apache.flink.metrics.reporter.MetricReporterFactory";

  private FlinkExtensionsJar() {}

  /** Writes (replaces) {@code <work dir>/lib/tally-flink-extensions.jar}; returns its path. */
  static Path write(ClusterLayout layout) {
    Path jar = location(layout);
    Path temp = jar.resolveSibling(jar.getFileName() + ".tmp");
    try {
      Files.createDirectories(jar.getParent());
      try (OutputStream file = Files.newOutputStream(temp);
          JarOutputStream out = new JarOutputStream(file)) {
        for (Class<?> type : CLASSES) {
          String entry = type.getName().replace('.', '/') + ".class";
          try (InputStream bytes = type.getClassLoader().getResourceAsStream(entry)) {
            if (bytes == null) {
              throw new IllegalStateException("cannot find " + entry + " on the classpath");
            }
            out.putNextEntry(new JarEntry(entry));
            bytes.transferTo(out);
            out.closeEntry();
          }
        }
        // Flink finds reporter factories with the ServiceLoader.
        out.putNextEntry(new JarEntry(SERVICE_FILE));
        out.write(
            (LoopbackPrometheusReporterFactory.class.getName() + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.closeEntry();
      }
      Files.move(temp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + jar, e);
    }
  }

  static Path location(ClusterLayout layout) {
    return layout.root().resolve("lib").resolve("tally-flink-extensions.jar");
  }
}
