package tally.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import tally.testkit.audit.AuditCommand;
import tally.testkit.generate.GenerateCommand;

/** {@code bin/tally}: one entry point for the demo, the generator, running jobs and the audit. */
@Command(
    name = "tally",
    mixinStandardHelpOptions = true,
    version = "tally 0.1.0",
    description = "Exactly-once payments ledger on Apache Flink and Apache Kafka.",
    subcommands = {
      DemoCommand.class,
      GenerateCommand.class,
      RunCommand.class,
      AuditCommand.class,
      TopicsCommand.class,
      AclsCommand.class,
      tally.cluster.ClusterCommand.class,
      tally.cluster.FlinkCommand.class,
      tally.chaos.ChaosCommand.class,
      tally.cluster.ReplayCommand.class,
      tally.cluster.status.StatusCommand.class,
      tally.bench.BenchCommand.class,
    })
public final class TallyCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    CommandLine cli = commandLine();
    // One writer pair for every subcommand, flushed before exit: a report printed without a
    // trailing println must not die in an encoder buffer.
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    cli.setOut(out);
    cli.setErr(err);
    int exitCode = cli.execute(args);
    out.flush();
    err.flush();
    System.exit(exitCode);
  }

  /** The configured command line; tests call {@code execute} on it. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new TallyCli());
    // Bad arguments: one line saying what is wrong, then a pointer to --help; exit code 2.
    cli.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine culprit = e.getCommandLine();
          culprit
              .getErr()
              .println(
                  "tally "
                      + culprit.getCommandName()
                      + ": "
                      + e.getMessage()
                      + " (see 'tally "
                      + culprit.getCommandName()
                      + " --help')");
          return 2;
        });
    // Expected failures (Kafka unreachable, misconfiguration): one line, exit code 1.
    cli.setExecutionExceptionHandler(
        (e, culprit, parseResult) -> {
          culprit.getErr().println("tally " + culprit.getCommandName() + ": " + oneLine(e));
          return 1;
        });
    return cli;
  }

  private static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getMessage() == null) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.toString() : root.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
