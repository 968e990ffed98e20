package tally.jobs.common;

import picocli.CommandLine.Option;

/** {@code --parallelism}: how many parallel subtasks a job runs with. */
public class ParallelismOption {
  @Option(
      names = "--parallelism",
      description =
          "Job parallelism (default: 2 for demo, chaos and bench; for the jobs and replays the"
              + " cluster's parallelism.default).")
  public Integer parallelism;

  public ParallelismOption(Integer defaultParallelism) {
    this.parallelism = defaultParallelism;
  }

  /** The cluster's {@code parallelism.default} unless given. */
  public ParallelismOption() {
    this(null);
  }
}
