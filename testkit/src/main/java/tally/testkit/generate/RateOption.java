package tally.testkit.generate;

import picocli.CommandLine.Option;

/** {@code --rate}: how fast a verb generates transactions. */
public class RateOption {
  @Option(
      names = "--rate",
      description = "Transactions per second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  public double rate;

  public RateOption(double defaultRate) {
    this.rate = defaultRate;
  }

  public RateOption() {
    this(GeneratorSettings.defaults().rate());
  }
}
