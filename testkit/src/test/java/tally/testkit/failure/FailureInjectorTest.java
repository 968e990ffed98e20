package tally.tooling.chaos.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TriggeredFailureTest {

  @TempDir Path dir;

  @Test
  void aTriggerIsClaimedExactlyOnce() throws Exception {
    assertThat(TriggeredFailure.claim(dir, "0-attempt-0")).isNull();

    Files.writeString(dir.resolve(TriggeredFailure.TRIGGER_FILE), "now");

    String claimed = TriggeredFailure.claim(dir, "1-attempt-0");
    assertThat(claimed).startsWith("job-exception.claimed-by-1-attempt-0");
    assertThat(dir.resolve(claimed)).exists();
    assertThat(dir.resolve(TriggeredFailure.TRIGGER_FILE)).doesNotExist();
    assertThat(TriggeredFailure.claim(dir, "0-attempt-1")).isNull();
  }
}
