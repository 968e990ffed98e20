package tally.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.support.Deadline;

class ProcessControlTest {

  @TempDir Path dir;

  /**
   * A JVM that sleeps and carries the cluster's marker on its command line, like a cluster process.
   */
  private ClusterProcess sleeper(ClusterLayout layout) throws Exception {
    String classes =
        Path.of(Sleeper.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ClusterProcess(
        "sleeper",
        ProcessRole.TASKMANAGER,
        0,
        0,
        List.of(
            java,
            "-Xmx32m",
            ProcessControl.marker(layout),
            "-cp",
            classes,
            Sleeper.class.getName()),
        dir.resolve("sleeper.log").toString(),
        dir.resolve("sleeper.out").toString(),
        null,
        "-");
  }

  @Test
  void launchesFindsStopsResumesAndTerminatesByPid() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir.resolve("cluster"));
    ClusterProcess started = ProcessControl.launch(sleeper(layout));
    try {
      assertThat(ProcessControl.live(started, layout)).isPresent();
      assertThat(ProcessControl.strays(layout, List.of()))
          .extracting(ProcessHandle::pid)
          .contains(started.pid());
      assertThat(ProcessControl.strays(layout, List.of(started))).isEmpty();

      ProcessControl.signal(started.pid(), "STOP");
      assertThat(
              Deadline.in(Duration.ofSeconds(5))
                  .await(() -> ProcessControl.isStopped(started.pid())))
          .isTrue();
      ProcessControl.signal(started.pid(), "CONT");
      assertThat(
              Deadline.in(Duration.ofSeconds(5))
                  .await(() -> !ProcessControl.isStopped(started.pid())))
          .isTrue();
    } finally {
      ProcessControl.live(started, layout)
          .ifPresent(handle -> ProcessControl.terminate(handle, Duration.ofSeconds(5)));
    }
    assertThat(ProcessControl.live(started, layout)).isEmpty();
  }

  @Test
  void aPidWithAnotherStartTimeOrWithoutTheMarkerIsNotTheClustersProcess() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir.resolve("cluster"));
    ClusterProcess started = ProcessControl.launch(sleeper(layout));
    try {
      assertThat(
              ProcessControl.live(
                  started.withPid(started.pid(), started.startedAtMillis() - 60_000), layout))
          .isEmpty();
      assertThat(ProcessControl.live(started, new ClusterLayout(dir.resolve("another")))).isEmpty();
    } finally {
      ProcessControl.live(started, layout).ifPresent(ProcessControl::kill);
    }
  }
}
