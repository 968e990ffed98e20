package tally.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class ChaosCommandTest {

  private static ChaosSettings settings(String... args) {
    ChaosCommand command = new ChaosCommand();
    new CommandLine(command).parseArgs(args);
    return command.settings(() -> List.of(FaultKind.TM_KILL, FaultKind.JOB_EXCEPTION));
  }

  @Test
  void allIsEveryKindTheClusterCanInjectAndTheDefault() {
    assertThat(settings().kinds()).containsExactly(FaultKind.TM_KILL, FaultKind.JOB_EXCEPTION);
    assertThat(settings().count()).isEqualTo(2);
    assertThat(settings("--faults", "all").kinds()).hasSize(2);
    assertThat(settings("--faults", "jm-kill,disk-full").kinds())
        .containsExactly(FaultKind.JM_KILL, FaultKind.DISK_FULL);
  }

  @Test
  void withoutADurationARunInjectsCountFaults() {
    ChaosSettings settings = settings("--count", "7");

    assertThat(settings.count()).isEqualTo(7);
    assertThat(settings.soak()).isEmpty();
    assertThat(settings.asMap()).containsEntry("count", 7).doesNotContainKey("duration");
  }

  @Test
  void aDurationMakesASoakRunWithAFaultEveryTwoMinutesByDefault() {
    SoakSchedule soak = settings("--duration", "30m").soak().orElseThrow();

    assertThat(soak.duration()).isEqualTo(Duration.ofMinutes(30));
    assertThat(soak.period()).isEqualTo(Duration.ofMinutes(2));
    assertThat(
            settings("--duration", "30m", "--fault-every", "5min").soak().orElseThrow().capacity())
        .isEqualTo(6);
    assertThat(settings("--duration", "30m").asMap())
        .containsEntry("duration", "PT30M")
        .containsEntry("faultEvery", "PT2M")
        .doesNotContainKey("count");
  }

  @Test
  void durationAndCountExcludeEachOtherAndFaultEveryNeedsADuration() {
    assertThatThrownBy(() -> settings("--duration", "30m", "--count", "3"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--duration")
        .hasMessageContaining("--count")
        .hasMessageContaining("exclude each other");
    assertThatThrownBy(() -> settings("--fault-every", "1m"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--fault-every needs --duration");
    assertThatThrownBy(() -> settings("--duration", "1m", "--fault-every", "2m"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--duration at least one --fault-every");
  }
}
