package tally.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChaosRunLockTest {
  @TempDir Path chaosDir;

  @Test
  void aSecondRunInTheSameProcessIsRefusedUntilTheFirstEnds() {
    try (ChaosRunLock first = ChaosRunLock.acquire(chaosDir, "chaos-first")) {
      assertThatThrownBy(() -> ChaosRunLock.acquire(chaosDir, "chaos-second"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another chaos run is injecting faults into this cluster")
          .hasMessageContaining("run chaos-first, pid " + ProcessHandle.current().pid());
    }
    ChaosRunLock.acquire(chaosDir, "chaos-second").close();
  }

  @Test
  void aRunInAnotherProcessHoldsTheLockUntilItIsKilled() throws Exception {
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Holder.class.getName(),
                chaosDir.toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(CompletableFuture.supplyAsync(() -> readLine(lines)).get(60, TimeUnit.SECONDS))
          .isEqualTo("held");
      assertThatThrownBy(() -> ChaosRunLock.acquire(chaosDir, "chaos-mine"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("run chaos-other, pid " + holder.pid());

      holder.destroyForcibly(); // SIGKILL: no close, no shutdown hook
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
      ChaosRunLock.acquire(chaosDir, "chaos-mine").close();
    } finally {
      holder.destroyForcibly();
    }
  }

  private static String readLine(BufferedReader lines) {
    try {
      return lines.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Another chaos run, as far as the lock can tell: holds it until killed or its stdin ends. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      ChaosRunLock.acquire(Path.of(args[0]), "chaos-other");
      System.out.println("held");
      System.out.flush();
      System.in.read(); // returns when the test's JVM is gone
    }
  }
}
