package tally.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

  private static final List<FaultKind> ALL = Arrays.asList(FaultKind.values());

  @Test
  void twiceAsManyFaultsAsKindsStrikeEachKindTwice() {
    List<FaultKind> schedule = FaultSchedule.of(ALL, 2 * ALL.size(), 42);

    assertThat(schedule).hasSize(2 * ALL.size());
    for (FaultKind kind : ALL) {
      assertThat(schedule).filteredOn(k -> k == kind).hasSize(2);
    }
  }

  @Test
  void theSameSeedGivesTheSameScheduleAndAnotherSeedUsuallyAnother() {
    assertThat(FaultSchedule.of(ALL, 10, 7)).isEqualTo(FaultSchedule.of(ALL, 10, 7));
    assertThat(FaultSchedule.of(ALL, 10, 7)).isNotEqualTo(FaultSchedule.of(ALL, 10, 8));
  }

  @Test
  void aKindDoesNotStrikeTwiceInARowWhenThatCanBeAvoided() {
    for (long seed = 0; seed < 50; seed++) {
      List<FaultKind> schedule = FaultSchedule.of(ALL, 10, seed);
      for (int i = 1; i < schedule.size(); i++) {
        assertThat(schedule.get(i))
            .as("seed %d position %d: %s", seed, i, schedule)
            .isNotEqualTo(schedule.get(i - 1));
      }
    }
  }

  @Test
  void fewerFaultsThanKindsTakeTheFirstKinds() {
    assertThat(FaultSchedule.of(ALL, 2, 1))
        .containsExactlyInAnyOrder(FaultKind.TM_KILL, FaultKind.JM_KILL);
  }

  @Test
  void refusesAnEmptySchedule() {
    assertThatThrownBy(() -> FaultSchedule.of(List.of(), 3, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FaultSchedule.of(ALL, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
