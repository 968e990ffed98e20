package tally.tooling.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.tooling.chaos.job.FaultInjectingLedgerJob;
import tally.tooling.chaos.job.TriggeredFailure;

class ChaosJobJarTest {

  @TempDir Path dir;

  @Test
  void copiesTheJobJarAndAddsTheFaultInjectingClasses() throws Exception {
    Path jobJar = dir.resolve("tally-jobs.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "tally.jobs.TallyJobs");
    try (OutputStream file = Files.newOutputStream(jobJar); JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry("tally/jobs/TallyJobs.class"));
      out.write("not really a class".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }

    Path built = ChaosJobJar.build(jobJar, dir.resolve("run/chaos.jar"));

    try (JarFile jar = new JarFile(built.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS)).isEqualTo("tally.jobs.TallyJobs");
      assertThat(jar.getEntry("tally/jobs/TallyJobs.class")).isNotNull();
      for (Class<?> type : ChaosJobJar.CLASSES) {
        assertThat(jar.getEntry(type.getName().replace('.', '/') + ".class")).as(type.getName()).isNotNull();
      }
    }
  }

  /** A nested or anonymous class in the job package would be missing from the chaos jar. */
  @Test
  void theJobPackageHasNoOtherClassFiles() throws Exception {
    Path packageDir = Path.of(FaultInjectingLedgerJob.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve(TriggeredFailure.class.getPackageName().replace('.', '/'));
    try (var files = Files.list(packageDir)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class")))
          .containsExactlyInAnyOrderElementsOf(ChaosJobJar.CLASSES.stream().map(c -> c.getSimpleName() + ".class").toList());
    }
  }
}
