package tally.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterStateTest {

  @TempDir Path dir;

  @Test
  void survivesARoundTripThroughClusterJson() {
    ClusterLayout layout = new ClusterLayout(dir);
    ClusterProcess tm =
        new ClusterProcess(
            "taskmanager-1",
            ProcessRole.TASKMANAGER,
            4242,
            1_700_000_000_000L,
            List.of("java", "-cp", "x", "Main"),
            "a.log",
            "a.out",
            "/tmp/x",
            "-");
    ClusterNetwork network =
        new ClusterNetwork(
            "00abcd",
            "10.77.3",
            new java.util.LinkedHashMap<>(java.util.Map.of("taskmanager-1", "10.77.3.10")));
    ClusterState state =
        new ClusterState(
            dir.toString(),
            ClusterPorts.defaults().on(network),
            "cluster-id",
            1L,
            List.of(tm),
            false,
            network);

    state.save(layout);
    ClusterState loaded = ClusterState.require(layout);

    assertThat(loaded).isEqualTo(state);
    assertThat(loaded.with(tm.withPid(99, 5)).process("taskmanager-1").pid()).isEqualTo(99);
    assertThat(loaded.processes(ProcessRole.KAFKA)).isEmpty();
    assertThat(loaded.ownNetwork()).contains(network);
    assertThat(loaded.ports().host("taskmanager-1")).isEqualTo("10.77.3.10");
    assertThat(loaded.ports().host("kafka-1")).isEqualTo("localhost");
  }

  @Test
  void withoutAStateFileItSaysHowToStartACluster() {
    assertThatThrownBy(() -> ClusterState.require(new ClusterLayout(dir)))
        .hasMessageContaining("no cluster under")
        .hasMessageContaining("bin/tally cluster up");
  }
}
