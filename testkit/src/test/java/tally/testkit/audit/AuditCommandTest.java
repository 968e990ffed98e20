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

    assertThat(command.kafka.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(command.topics.transactions).isEqualTo("tally.transactions");
    assertThat(command.topics.balances).isEqualTo("tally.balances");
    assertThat(command.topics.alerts).isEqualTo("tally.alerts");
    assertThat(command.topics.dlq).isEqualTo("tally.dlq");
    assertThat(command.timeout).isEqualTo(Duration.ofSeconds(60));
    assertThat(command.output.json).isFalse();
  }
}
