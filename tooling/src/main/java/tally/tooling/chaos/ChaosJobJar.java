package tally.tooling.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import tally.tooling.chaos.job.ChaosLedgerOptions;
import tally.tooling.chaos.job.FaultInjectingLedgerJob;
import tally.tooling.chaos.job.InjectedFailureException;
import tally.tooling.chaos.job.TriggeredFailure;

/**
 * The jar a chaos run submits: a copy of the ledger job jar with the few classes of
 * {@code tally.tooling.chaos.job} added (the fault-injecting main and its operator). Copying also
 * keeps the run independent of a rebuild of {@code jobs/target} while it runs.
 */
public final class ChaosJobJar {

  /** Everything {@link FaultInjectingLedgerJob} needs beyond the job jar (no nested classes there). */
  static final List<Class<?>> CLASSES = List.of(
      FaultInjectingLedgerJob.class, ChaosLedgerOptions.class, TriggeredFailure.class, InjectedFailureException.class);

  private ChaosJobJar() {}

  public static Path build(Path jobJar, Path target) {
    try {
      Files.createDirectories(target.getParent());
      Set<String> written = new HashSet<>();
      try (JarFile source = new JarFile(jobJar.toFile());
          OutputStream file = Files.newOutputStream(target);
          JarOutputStream out = new JarOutputStream(file)) {
        for (Class<?> type : CLASSES) {
          String name = type.getName().replace('.', '/') + ".class";
          try (InputStream in = type.getResourceAsStream("/" + name)) {
            if (in == null) {
              throw new IllegalStateException("class file " + name + " not found on the classpath");
            }
            out.putNextEntry(new JarEntry(name));
            in.transferTo(out);
            out.closeEntry();
            written.add(name);
          }
        }
        Enumeration<JarEntry> entries = source.entries();
        while (entries.hasMoreElements()) {
          JarEntry entry = entries.nextElement();
          if (!written.add(entry.getName())) {
            continue; // a duplicate name (directories of the shaded jar)
          }
          JarEntry copy = new JarEntry(entry.getName());
          copy.setTime(entry.getTime());
          out.putNextEntry(copy);
          try (InputStream in = source.getInputStream(entry)) {
            in.transferTo(out);
          }
          out.closeEntry();
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the chaos job jar " + target + " from " + jobJar, e);
    }
  }
}
