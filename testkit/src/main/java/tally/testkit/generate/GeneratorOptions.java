package tally.testkit.generate;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the generated transactions look like, declared once for every verb that generates them
 * ({@code generate}, {@code demo}, {@code chaos}, {@code bench}). Each verb passes its defaults as
 * a {@link GeneratorSettings}; the options override them.
 */
public class GeneratorOptions {

  @Option(names = "--accounts", description = "Number of accounts (default: ${DEFAULT-VALUE}).")
  public int accounts;

  @Option(names = "--merchants", description = "Number of merchants (default: ${DEFAULT-VALUE}).")
  public int merchants;

  @Option(
      names = "--duplicate-ratio",
      description =
          "Share of records that re-send an earlier record exactly (default: ${DEFAULT-VALUE}).")
  public double duplicateRatio;

  @Option(
      names = "--invalid-ratio",
      description =
          "Share of records the ledger must reject to the DLQ (default: ${DEFAULT-VALUE}).")
  public double invalidRatio;

  @Mixin public SeedOption seed;

  public GeneratorOptions(GeneratorSettings defaults) {
    accounts = defaults.accounts();
    merchants = defaults.merchants();
    duplicateRatio = defaults.duplicateRatio();
    invalidRatio = defaults.invalidRatio();
    seed = new SeedOption(defaults.seed());
  }

  public GeneratorOptions() {
    this(GeneratorSettings.defaults());
  }

  /** {@code base} with these options applied. */
  public GeneratorSettings applyTo(GeneratorSettings base) {
    return base.withAccounts(accounts)
        .withMerchants(merchants)
        .withDuplicateRatio(duplicateRatio)
        .withInvalidRatio(invalidRatio)
        .withSeed(seed.seed);
  }
}
