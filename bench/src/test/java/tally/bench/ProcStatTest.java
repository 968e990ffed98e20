package tally.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatTest {

  /** utime 1234 and stime 66 ticks, cutime 7 and cstime 3; a command with spaces and ')'. */
  private static final String LINE =
      "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 12345 0 0 0 1234 66 7 3 20 0 42 0 1000"
          + " 5000000000 100000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

  @Test
  void addsUserAndSystemTicks() {
    assertThat(ProcStat.cpuNanos(LINE)).isEqualTo(13_000_000_000L); // 1300 ticks at 100 Hz
    assertThat(ProcStat.childrenCpuNanos(LINE)).isEqualTo(100_000_000L);
  }

  @Test
  void readsLiveProcessesAndNothingForGoneOnes() {
    long self = ProcessHandle.current().pid();
    assertThat(ProcStat.cpuNanos(self)).isPresent();
    assertThat(ProcStat.cpuNanos(self).getAsLong()).isPositive();
    assertThat(ProcStat.cpuNanos(Long.MAX_VALUE)).isEmpty();
    assertThat(ProcStat.ownChildrenCpuNanos()).isNotNegative();
  }

  @Test
  void rejectsWhatIsNotAStatLine() {
    assertThatThrownBy(() -> ProcStat.cpuNanos("hello"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProcStat.cpuNanos("1 (x) S 1 2"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
