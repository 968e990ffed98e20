package tally.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterPortsTest {

  @Test
  void theDefaultsAreTheUsualPorts() {
    ClusterPorts ports = ClusterPorts.defaults();

    assertThat(ports.bootstrapServers()).isEqualTo("localhost:9092,localhost:9093,localhost:9094");
    assertThat(ports.controllerQuorumVoters())
        .isEqualTo("1@localhost:9095,2@localhost:9096,3@localhost:9097");
    assertThat(ports.webUiUrl()).isEqualTo("http://localhost:8081");
    assertThat(ports.zookeeperQuorum()).isEqualTo("localhost:2181");
    assertThat(ports.metricsPort("jobmanager")).isEqualTo(9249);
    assertThat(ports.metricsPort("taskmanager-1")).isEqualTo(9250);
    assertThat(ports.metricsPort("taskmanager-2")).isEqualTo(9251);
    assertThat(ports.metricsPort("jobmanager-2")).isEqualTo(9252);
    assertThat(ports.metricsProcess(9252)).isEqualTo("jobmanager-2");
    assertThat(ports.webUiUrl("jobmanager-2", false)).isEqualTo("http://localhost:8082");
    assertThat(ports.rpcPort("jobmanager-2")).isEqualTo(6124);
    assertThat(ports.rpcPort("jobmanager")).isEqualTo(6123);
  }

  @Test
  void aClusterRecordedBeforeMetricsPortsOrTheStandbyExistedGetsTheDefaults() {
    ClusterPorts ports =
        new ClusterPorts(
            2181, List.of(9092, 9093, 9094), List.of(9095, 9096, 9097), 8081, 6123, null, 0, 0);
    assertThat(ports.metrics()).isEqualTo(ClusterPorts.DEFAULT_METRICS);
    assertThat(ports.standbyWebUi()).isEqualTo(ClusterPorts.DEFAULT_STANDBY_WEB_UI);

    ClusterPorts beforeTheStandby =
        new ClusterPorts(
            2181,
            List.of(9092, 9093, 9094),
            List.of(9095, 9096, 9097),
            8081,
            6123,
            List.of(9249, 9250, 9251),
            0,
            0);
    assertThat(beforeTheStandby.metrics()).isEqualTo(ClusterPorts.DEFAULT_METRICS);
  }

  @Test
  void refusesDuplicatesAndAnotherNumberOfBrokers() {
    assertThatThrownBy(
            () ->
                new ClusterPorts(
                    2181,
                    List.of(9092, 9093, 9094),
                    List.of(9095, 9096, 9092),
                    8081,
                    6123,
                    ClusterPorts.DEFAULT_METRICS,
                    8082,
                    6124))
        .hasMessageContaining("9092 is given twice");
    assertThatThrownBy(
            () ->
                new ClusterPorts(
                    2181,
                    List.of(9092, 9093),
                    List.of(9095, 9096),
                    8081,
                    6123,
                    ClusterPorts.DEFAULT_METRICS,
                    8082,
                    6124))
        .hasMessageContaining("3 Kafka brokers");
    assertThatThrownBy(
            () ->
                new ClusterPorts(
                    2181,
                    List.of(9092, 9093, 9094),
                    List.of(9095, 9096, 9097),
                    8081,
                    6123,
                    List.of(9249, 9250),
                    8082,
                    6124))
        .hasMessageContaining("4 metrics ports");
    assertThatThrownBy(() -> ClusterPorts.parseList("9092,x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void freePortsAreAllDifferent() {
    ClusterPorts ports = ClusterPorts.free();
    assertThat(ports.describeAll()).hasSize(15);
  }
}
