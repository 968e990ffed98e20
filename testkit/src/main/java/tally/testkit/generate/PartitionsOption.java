package tally.testkit.generate;

import picocli.CommandLine.Option;

/** {@code --partitions}: partitions of the topics a verb creates (existing topics keep theirs). */
public class PartitionsOption {
  public static final int DEFAULT_PARTITIONS = 4;

  @Option(
      names = "--partitions",
      description =
          "Partitions of each topic this command creates; the jobs' parallelism is useful up to"
              + " this (default: ${DEFAULT-VALUE}).")
  public int partitions = DEFAULT_PARTITIONS;
}
