package tally.testkit.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Argument handling only: running it needs a broker (end-to-end tests). */
class GenerateCommandTest {

  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine commandLine = new CommandLine(new GenerateCommand());
    commandLine.setErr(new PrintWriter(err));
    commandLine.setOut(new PrintWriter(new StringWriter()));
    return commandLine.execute(args);
  }

  @Test
  void impossibleSettingsAreRejectedWithAReasonBeforeConnecting() {
    assertThat(execute("--duplicate-ratio", "1.5", "--bootstrap-servers", "nowhere:1"))
        .isEqualTo(2);
    assertThat(err.toString().lines().findFirst())
        .hasValueSatisfying(
            line -> assertThat(line).contains("duplicate ratio must be within [0, 1], got 1.5"));
  }

  @Test
  void malformedNumbersAreRejected() {
    assertThat(execute("--count", "many")).isEqualTo(2);
    assertThat(err.toString()).contains("--count");
  }

  @Test
  void optionsBecomeSettings() {
    GenerateCommand command = new GenerateCommand();
    new CommandLine(command)
        .parseArgs(
            "--count",
            "10",
            "--rate",
            "5",
            "--accounts",
            "3",
            "--merchants",
            "2",
            "--duplicate-ratio",
            "0.2",
            "--invalid-ratio",
            "0.1",
            "--seed",
            "7",
            "--topic",
            "t",
            "--partitions",
            "2");

    assertThat(command.settings())
        .isEqualTo(new GeneratorSettings(10, 5, 3, 2, 0.2, 0.1, 7, "t", 2));
  }

  @Test
  void defaultsMatchTheSettingsDefaults() {
    GenerateCommand command = new GenerateCommand();
    new CommandLine(command).parseArgs();

    assertThat(command.settings()).isEqualTo(GeneratorSettings.defaults());
  }
}
