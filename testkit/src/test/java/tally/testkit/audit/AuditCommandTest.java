package tally.testkit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Argument handling only: running it needs a broker (end-to-end tests). */
class AuditCommandTest {

  @Test
  void aBadTimeoutIsRejectedWithAReason() {
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new AuditCommand());
    commandLine.setErr(new PrintWriter(err));

    assertThat(commandLine.execute("--timeout", "soon")).isEqualTo(2);
    assertThat(err.toString()).contains("'soon' is not a duration");
  }

  @Test
  void optionsHaveTheSpecDefaults() {
    AuditCommand command = new AuditCommand();
    new CommandLine(command).parseArgs();

    assertThat(command.bootstrapServers).isEqualTo("localhost:9092");
    assertThat(command.inputTopic).isEqualTo("tally.transactions");
    assertThat(command.balancesTopic).isEqualTo("tally.balances");
    assertThat(command.alertsTopic).isEqualTo("tally.alerts");
    assertThat(command.dlqTopic).isEqualTo("tally.dlq");
    assertThat(command.timeout).isEqualTo(Duration.ofSeconds(60));
    assertThat(command.json).isFalse();
  }
}
