package tally.testkit.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureInjectorTest {

  @TempDir Path dir;

  @Test
  void aTriggerIsClaimedExactlyOnce() throws Exception {
    assertThat(FailureInjector.claim(dir, "0-attempt-0")).isNull();

    Files.writeString(dir.resolve(FailureInjector.TRIGGER_FILE), "now");

    String claimed = FailureInjector.claim(dir, "1-attempt-0");
    assertThat(claimed).startsWith("job-exception.claimed-by-1-attempt-0");
    assertThat(dir.resolve(claimed)).exists();
    assertThat(dir.resolve(FailureInjector.TRIGGER_FILE)).doesNotExist();
    assertThat(FailureInjector.claim(dir, "0-attempt-1")).isNull();
  }
}
