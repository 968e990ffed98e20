package tally.testkit.generate;

import java.util.Objects;
import tally.jobs.common.Topics;

/**
 * What {@link TransactionGenerator} generates and how {@link TransactionProducer} sends it.
 *
 * @param count records to generate, duplicates and invalid ones included; {@code <= 0} = unbounded
 * @param rate records per second; {@code <= 0} = as fast as possible
 * @param accounts number of accounts ({@code acct-000001} ...)
 * @param merchants number of merchants ({@code merchant-0001} ...)
 * @param duplicateRatio probability that a record re-sends an earlier record exactly
 * @param invalidRatio probability that a record is a bad one (cycling through the bad kinds)
 * @param seed the same seed gives the same records, byte for byte
 * @param topic the transactions topic
 * @param partitions partitions of the topic when the producer has to create it
 */
public record GeneratorSettings(
    long count,
    double rate,
    int accounts,
    int merchants,
    double duplicateRatio,
    double invalidRatio,
    long seed,
    String topic,
    int partitions) {

  public static final String DEFAULT_TOPIC = Topics.TRANSACTIONS;

  public GeneratorSettings {
    Objects.requireNonNull(topic, "topic");
    require(accounts >= 1, "accounts must be at least 1, got " + accounts);
    require(merchants >= 1, "merchants must be at least 1, got " + merchants);
    require(
        isRatio(duplicateRatio), "duplicate ratio must be within [0, 1], got " + duplicateRatio);
    require(isRatio(invalidRatio), "invalid ratio must be within [0, 1], got " + invalidRatio);
    require(
        duplicateRatio + invalidRatio <= 1.0,
        "duplicate ratio + invalid ratio must not exceed 1, got "
            + (duplicateRatio + invalidRatio));
    require(!Double.isNaN(rate) && !Double.isInfinite(rate), "rate must be a finite number");
    require(!topic.isBlank(), "topic must not be blank");
    require(partitions >= 1, "partitions must be at least 1, got " + partitions);
  }

  /**
   * Unbounded, 1000 records/s, 1000 accounts, 50 merchants, 1% duplicates, 0.1% invalid, seed 42.
   */
  public static GeneratorSettings defaults() {
    return new GeneratorSettings(0, 1000, 1000, 50, 0.01, 0.001, 42, DEFAULT_TOPIC, 4);
  }

  public boolean unbounded() {
    return count <= 0;
  }

  public GeneratorSettings withCount(long count) {
    return new GeneratorSettings(
        count, rate, accounts, merchants, duplicateRatio, invalidRatio, seed, topic, partitions);
  }

  public GeneratorSettings withRate(double rate) {
    return new GeneratorSettings(
        count, rate, accounts, merchants, duplicateRatio, invalidRatio, seed, topic, partitions);
  }

  public GeneratorSettings withAccounts(int accounts) {
    return new GeneratorSettings(
        count, rate, accounts, merchants, duplicateRatio, invalidRatio, seed, topic, partitions);
  }

  public GeneratorSettings withMerchants(int merchants) {
    return new GeneratorSettings(
        count, rate, accounts, merchants, duplicateRatio, invalidRatio, seed, topic, partitions);
  }

  public GeneratorSettings withDuplicateRatio(double duplicateRatio) {
    return new GeneratorSettings(
        count, rate, accounts, merchants, duplicateRatio, invalidRatio, seed, topic, partitions);
  }

  public GeneratorSettings withInvalidRatio(double invalidRatio) {
    return new GeneratorSettings(
        count, rate, accounts, merchants, duplicateRatio, invalidRatio, seed, topic, partitions);
  }

  public GeneratorSettings withSeed(long seed) {
    return new GeneratorSettings(
        count, rate, accounts, merchants, duplicateRatio, invalidRatio, seed, topic, partitions);
  }

  public GeneratorSettings withTopic(String topic) {
    return new GeneratorSettings(
        count, rate, accounts, merchants, duplicateRatio, invalidRatio, seed, topic, partitions);
  }

  public GeneratorSettings withPartitions(int partitions) {
    return new GeneratorSettings(
        count, rate, accounts, merchants, duplicateRatio, invalidRatio, seed, topic, partitions);
  }

  private static boolean isRatio(double value) {
    return value >= 0.0 && value <= 1.0; // false for NaN too
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
