package tally.support.cli;

import picocli.CommandLine.Option;

/** {@code --json}: a verb prints its report as JSON instead of text. */
public class JsonOption {
  @Option(names = "--json", description = "Print the report as JSON instead of text.")
  public boolean json;
}
