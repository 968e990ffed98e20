package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line's contract: --help everywhere, one-line errors and exit 2 on bad arguments. */
class TallyCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = TallyCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "demo",
        "generate",
        "run",
        "run ledger",
        "audit",
        "topics",
        "topics create",
        "acls"
      })
  void everyVerbPrintsHelp(String verb) {
    String[] args = (verb.isEmpty() ? "--help" : verb + " --help").split(" ");
    assertThat(run(args)).isZero();
    assertThat(out.toString()).contains("Usage: tally");
  }

  @Test
  void runLedgerHelpListsTheJobOptions() {
    assertThat(run("run", "ledger", "--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--bootstrap-servers", "--dedup-retention", "--delivery", "--transaction-timeout");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "demo --no-such-option",
        "demo --duration soon",
        "generate --rate fast",
        "run",
        "run ledger --delivery twice",
        "audit --timeout x",
        "nonsense"
      })
  void badArgumentsGiveOneLineAndExitTwo(String line) {
    assertThat(run(line.split(" "))).isEqualTo(2);
    assertThat(err.toString().strip()).doesNotContain("\n").isNotEmpty();
  }
}
