package tally.testkit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tally.testkit.audit.LedgerOracle.Outcome;
import tally.testkit.generate.GeneratedRecord;
import tally.testkit.generate.GeneratedRecord.Kind;
import tally.testkit.generate.GeneratorSettings;
import tally.testkit.generate.TransactionGenerator;

/** Each generated record meets the rule its kind was meant for, and the data has overdrafts. */
class GeneratorAgreesWithOracleTest {

  private static final int PARTITIONS = 4;

  @Test
  void everyKindGetsTheIntendedOutcome() {
    GeneratorSettings settings =
        GeneratorSettings.defaults()
            .withCount(20_000)
            .withDuplicateRatio(0.03)
            .withInvalidRatio(0.03);
    TransactionGenerator generator = new TransactionGenerator(settings);
    LedgerOracle oracle = new LedgerOracle();
    long[] nextOffset = new long[PARTITIONS];
    Map<Kind, Long> kinds = new HashMap<>();

    while (generator.hasNext()) {
      GeneratedRecord record = generator.next();
      int partition = Math.floorMod(record.key().hashCode(), PARTITIONS); // keyed, like a producer
      Outcome outcome =
          oracle.accept(partition, nextOffset[partition]++, record.keyBytes(), record.value());
      kinds.merge(record.kind(), 1L, Long::sum);
      assertThat(outcome).as(record.toString()).isEqualTo(intendedOutcome(record.kind()));
    }

    assertThat(oracle.expectedBalanceCount()).isEqualTo(kinds.get(Kind.VALID));
    assertThat(oracle.duplicatesDropped()).isEqualTo(kinds.get(Kind.DUPLICATE));
    // overdrafts happen regularly: at least one crossing per 50 applied transactions
    assertThat(oracle.expectedAlertCount()).isGreaterThan(oracle.expectedBalanceCount() / 50);
  }

  private static Outcome intendedOutcome(Kind kind) {
    return switch (kind) {
      case VALID -> Outcome.APPLIED;
      case DUPLICATE -> Outcome.DUPLICATE_DROPPED;
      case UNDECODABLE_GARBAGE, UNKNOWN_FINGERPRINT, TRUNCATED_BODY -> Outcome.UNDECODABLE;
      case ZERO_AMOUNT, BAD_CURRENCY, EMPTY_TXN_ID, KEY_MISMATCH -> Outcome.INVALID;
      case CURRENCY_MISMATCH -> Outcome.CURRENCY_MISMATCH;
      case CONFLICTING_DUPLICATE -> Outcome.CONFLICTING_DUPLICATE;
    };
  }
}
