package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

  @Test
  void aShortSecuredDemoRunsEachRoleAsItsOwnLeastPrivilegePrincipal(@TempDir Path workDir)
      throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TallyCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int exit =
        cli.execute(
            "demo",
            "--secure",
            "--duration",
            "15s",
            "--rate",
            "300",
            "--web-ui-port",
            "0",
            "--kafka-port",
            "0",
            "--work-dir",
            workDir.toString());

    assertThat(exit).as(out + "\n" + err).isZero();
    Path auditor = workDir.resolve("kafka").resolve("clients").resolve("auditor.properties");
    assertThat(out.toString())
        .contains("SASL_SSL_SCRAM")
        .containsPattern("User:ledger +WRITE +TransactionalId +PREFIXED +tally-ledger ")
        .contains("--kafka-properties " + auditor + " --with-revenue")
        .contains("AUDIT CLEAN")
        .contains("REVENUE CLEAN");
    // Kept with the work dir: the printed files outlive the demo.
    assertThat(Files.readString(auditor)).contains("username=\"auditor\"");
  }
}
