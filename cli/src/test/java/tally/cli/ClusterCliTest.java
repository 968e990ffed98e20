package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The cluster verbs keep the command line's contract: --help, one-line errors, exit 2 on bad
 * arguments.
 */
class ClusterCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @TempDir Path empty;

  private int run(String... args) {
    CommandLine cli = TallyCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "cluster",
        "cluster up",
        "cluster down",
        "cluster status",
        "chaos",
        "replay",
        "replay start",
        "replay verify"
      })
  void everyVerbPrintsHelp(String verb) {
    assertThat(run((verb + " --help").split(" "))).isZero();
    assertThat(out.toString()).contains("Usage: tally");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "cluster",
        "cluster up --kafka-ports 9092,9093",
        "cluster up --web-ui-port x",
        "cluster up --network sideways",
        "chaos --faults tm-kill,disk-fill",
        "chaos --duration 10m --count 3",
        "chaos --count 0",
        "chaos --spacing soon",
        "replay",
        "replay start",
        "replay verify --replay x"
      })
  void badArgumentsGiveOneLineAndExitTwo(String line) {
    assertThat(run(line.split(" "))).isEqualTo(2);
    assertThat(err.toString().strip()).doesNotContain("\n").isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "chaos",
        "flink list",
        "replay verify --replay 1",
        "replay start --from-savepoint x"
      })
  void withoutAClusterTheySaySoInOneLine(String line) {
    String[] args = (line + " --work-dir " + empty).split(" ");
    if (line.startsWith("flink")) {
      args = ("flink --work-dir " + empty + " list").split(" ");
    }
    assertThat(run(args)).isEqualTo(1);
    assertThat(err.toString().strip())
        .doesNotContain("\n")
        .contains("no cluster under")
        .contains("cluster up");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cluster status", "cluster down"})
  void statusAndDownOfNoClusterSaySo(String line) {
    int exit = run((line + " --work-dir " + empty).split(" "));
    assertThat(out.toString()).contains("No cluster under");
    assertThat(exit).isEqualTo(line.endsWith("status") ? 1 : 0);
  }

  @org.junit.jupiter.api.Test
  void flinkHelpWithoutAClusterIsThisCommandsHelp() {
    assertThat(run("flink", "--work-dir", empty.toString(), "--help")).isZero();
    assertThat(out.toString()).contains("Usage: tally flink");
  }
}
