package tally.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cluster processes run from the Maven repository's jars only: no Tally jar a rebuild could rewrite
 * under them.
 */
class RoleClasspathTest {

  private static List<String> names(RoleClasspath role) {
    return role.jars().stream().map(Path::toString).toList();
  }

  @Test
  void flinkProcessesGetTheFlinkRuntimeButNoConnectorAndNoTallyJar() {
    List<String> jars = names(RoleClasspath.FLINK);
    assertThat(jars)
        .anyMatch(j -> j.contains("flink-runtime-2."))
        .anyMatch(j -> j.contains("flink-runtime-web"))
        .anyMatch(j -> j.contains("flink-statebackend-rocksdb"))
        .anyMatch(j -> j.contains("flink-clients"))
        .anyMatch(j -> j.contains("log4j-slf4j-impl"));
    assertThat(jars)
        .noneMatch(j -> j.contains("tally-"))
        .noneMatch(j -> j.contains("flink-connector-kafka"))
        .noneMatch(j -> j.contains("kafka-clients"))
        .noneMatch(j -> j.contains("kafka_2.13"))
        .allMatch(j -> !j.contains("/target/"));
  }

  @Test
  void brokersGetKafkaAndNoFlinkAndNoTallyJar() {
    List<String> jars = names(RoleClasspath.KAFKA);
    assertThat(jars)
        .anyMatch(j -> j.contains("kafka_2.13"))
        .anyMatch(j -> j.contains("kafka-clients"))
        .anyMatch(j -> j.contains("scala-library"));
    assertThat(jars)
        .noneMatch(j -> j.contains("flink"))
        .noneMatch(j -> j.contains("tally-"))
        .allMatch(j -> !j.contains("/target/"));
  }

  @Test
  void zookeeperGetsZookeeperAndItsMetricsLibrary() {
    List<String> jars = names(RoleClasspath.ZOOKEEPER);
    assertThat(jars)
        .anyMatch(j -> j.contains("zookeeper-3."))
        .anyMatch(j -> j.contains("metrics-core"))
        .anyMatch(j -> j.contains("snappy-java"));
    assertThat(jars)
        .noneMatch(j -> j.contains("flink"))
        .noneMatch(j -> j.contains("kafka"))
        .noneMatch(j -> j.contains("logback"));
  }
}
