package tally.testkit.generate;

import picocli.CommandLine.Option;

/** {@code --seed}: what makes a run repeatable. */
public class SeedOption {
  @Option(
      names = "--seed",
      description =
          "Random seed: the same seed gives the same records (and, for chaos, the same fault"
              + " schedule) (default: ${DEFAULT-VALUE}).")
  public long seed;

  public SeedOption(long defaultSeed) {
    this.seed = defaultSeed;
  }

  public SeedOption() {
    this(GeneratorSettings.defaults().seed());
  }
}
