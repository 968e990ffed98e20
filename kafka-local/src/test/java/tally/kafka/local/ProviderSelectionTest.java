package tally.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class ProviderSelectionTest {

  private final AtomicInteger dockerAsked = new AtomicInteger();

  private BooleanSupplier docker(boolean answers) {
    return () -> {
      dockerAsked.incrementAndGet();
      return answers;
    };
  }

  @Test
  void autoWithoutADockerSocketIsEmbeddedAndNeverAsksDocker() {
    ProviderSelection.Choice choice = ProviderSelection.choose(null, null, false, docker(true));

    assertThat(choice.provider()).isEqualTo(KafkaProvider.EMBEDDED);
    assertThat(choice.reason()).contains("no Docker socket");
    assertThat(dockerAsked).hasValue(0);
  }

  @Test
  void autoWithASocketAndAnAnsweringEngineIsTestcontainers() {
    ProviderSelection.Choice choice = ProviderSelection.choose("auto", null, true, docker(true));

    assertThat(choice.provider()).isEqualTo(KafkaProvider.TESTCONTAINERS);
    assertThat(dockerAsked).hasValue(1);
  }

  @Test
  void autoWithASocketButNoEngineIsEmbedded() {
    ProviderSelection.Choice choice = ProviderSelection.choose(null, "AUTO", true, docker(false));

    assertThat(choice.provider()).isEqualTo(KafkaProvider.EMBEDDED);
    assertThat(choice.reason()).contains("no engine answers");
  }

  @Test
  void theSystemPropertyWinsOverTheEnvironmentVariable() {
    ProviderSelection.Choice choice =
        ProviderSelection.choose("embedded", "testcontainers", true, docker(true));

    assertThat(choice.provider()).isEqualTo(KafkaProvider.EMBEDDED);
    assertThat(choice.reason()).contains("system property tally.kafka.provider=embedded");
    assertThat(dockerAsked).hasValue(0);
  }

  @Test
  void anExplicitProviderIsTakenWithoutAskingDocker() {
    ProviderSelection.Choice choice =
        ProviderSelection.choose(" ", " Testcontainers ", false, docker(false));

    assertThat(choice.provider()).isEqualTo(KafkaProvider.TESTCONTAINERS);
    assertThat(choice.reason())
        .contains("environment variable TALLY_KAFKA_PROVIDER=Testcontainers");
    assertThat(dockerAsked).hasValue(0);
  }

  @Test
  void anUnknownProviderNamesTheChoices() {
    assertThatThrownBy(() -> ProviderSelection.choose("docker", null, true, docker(true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tally.kafka.provider=docker")
        .hasMessageContaining("auto, embedded, testcontainers");
  }

  @Test
  void dockerSocketsAreLookedForInTheUsualPlaces() {
    assertThat(
            ProviderSelection.dockerSocketCandidates(
                Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), Path.of("/home/dev")))
        .containsExactly(
            Path.of("/var/run/docker.sock"),
            Path.of("/home/dev/.docker/run/docker.sock"),
            Path.of("/run/user/1000/docker.sock"));
    assertThat(ProviderSelection.dockerSocketPresent(Map.of("DOCKER_HOST", "tcp://docker:2375")))
        .isTrue();
  }

  @Test
  void thisMachineWithoutDockerGetsTheEmbeddedBroker() {
    assumeTrue(
        System.getProperty(ProviderSelection.PROPERTY) == null
            && System.getenv(ProviderSelection.ENV) == null,
        "provider forced from outside");
    assumeTrue(
        !ProviderSelection.dockerSocketPresent(System.getenv()),
        "this machine has a Docker socket");

    assertThat(ProviderSelection.fromEnvironment().provider()).isEqualTo(KafkaProvider.EMBEDDED);
  }
}
