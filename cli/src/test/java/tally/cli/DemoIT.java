package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `tally demo --duration` end to end, as a new user runs it: broker, job, generator, audit. */
class DemoIT {

  @Test
  void aShortDemoEndsWithACleanAuditAndTheWebUiAnswering() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TallyCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int exit =
        cli.execute(
            "demo",
            "--duration",
            "20s",
            "--rate",
            "300",
            "--status-interval",
            "5s",
            "--web-ui-port",
            "0",
            "--kafka-port",
            "0");

    assertThat(exit).as(out + "\n" + err).isZero();
    assertThat(out.toString())
        .contains("(answering)")
        .contains("job RUNNING")
        .contains("AUDIT CLEAN");
  }
}
