package tally.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationConverterTest {
  @Test
  void readsFlinkAndIsoDurations() {
    assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationConverter.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationConverter.parse("2min")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationConverter.parse("15 min")).isEqualTo(Duration.ofMinutes(15));
    assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationConverter.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(DurationConverter.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void refusesNonsenseAndNegatives() {
    assertThatThrownBy(() -> DurationConverter.parse("soon"))
        .hasMessageContaining("not a duration");
    assertThatThrownBy(() -> DurationConverter.parse("-5s")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> DurationConverter.parse("PT-5S"))
        .hasMessageContaining("not a duration");
  }
}
