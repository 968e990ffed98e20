package tally.jobs.common;

import picocli.CommandLine;

/** Parses a job's options with picocli; bad arguments become a one-line error. */
public final class JobCommandLine {
  private JobCommandLine() {}

  /**
   * @return the populated options, or null when help or version was requested (and printed)
   * @throws IllegalArgumentException with a one-line reason on bad arguments
   */
  public static <T> T parse(T options, String... args) {
    CommandLine cli = new CommandLine(options);
    try {
      CommandLine.ParseResult result = cli.parseArgs(args);
      if (CommandLine.printHelpIfRequested(result)) {
        return null;
      }
      return options;
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(
          e.getMessage() + " (see --help of " + cli.getCommandName() + ")");
    }
  }
}
