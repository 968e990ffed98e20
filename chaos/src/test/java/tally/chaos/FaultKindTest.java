package tally.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FaultKindTest {

  @Test
  void parsesTheCommandLineNamesInOrderWithoutDuplicates() {
    assertThat(FaultKind.parseList("tm-kill, JM-KILL,broker-kill,tm-kill,tm-hang,job-exception"))
        .containsExactly(
            FaultKind.TM_KILL,
            FaultKind.JM_KILL,
            FaultKind.BROKER_KILL,
            FaultKind.TM_HANG,
            FaultKind.JOB_EXCEPTION);
  }

  @Test
  void anUnknownNameSaysWhichAreKnown() {
    assertThatThrownBy(() -> FaultKind.parseList("tm-kill,disk-full"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("disk-full")
        .hasMessageContaining("tm-kill,jm-kill,broker-kill,tm-hang,job-exception");
    assertThatThrownBy(() -> FaultKind.parseList(" , "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
