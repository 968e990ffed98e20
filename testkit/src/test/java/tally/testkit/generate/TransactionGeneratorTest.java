package tally.testkit.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.avro.UndecodableException;
import tally.schemas.Transaction;
import tally.testkit.generate.GeneratedRecord.Kind;

class TransactionGeneratorTest {

  private static final AvroSingleObjectSerde<Transaction> SERDE =
      AvroSingleObjectSerde.forType(Transaction.class);

  private static List<GeneratedRecord> generate(GeneratorSettings settings) {
    return new TransactionGenerator(settings).stream().toList();
  }

  @Test
  void sameSeedGivesIdenticalRecordsByteForByte() {
    GeneratorSettings settings =
        GeneratorSettings.defaults().withCount(5_000).withInvalidRatio(0.02);

    assertThat(generate(settings)).isEqualTo(generate(settings));
  }

  @Test
  void differentSeedGivesDifferentRecords() {
    GeneratorSettings settings = GeneratorSettings.defaults().withCount(1_000);

    List<GeneratedRecord> first = generate(settings.withSeed(1));
    List<GeneratedRecord> second = generate(settings.withSeed(2));

    assertThat(first).hasSize(1_000);
    assertThat(second).hasSize(1_000);
    long same = 0;
    for (int i = 0; i < first.size(); i++) {
      same += first.get(i).equals(second.get(i)) ? 1 : 0;
    }
    assertThat(same).isZero();
  }

  @Test
  void stopsAfterTheCount() {
    TransactionGenerator generator =
        new TransactionGenerator(GeneratorSettings.defaults().withCount(3));

    generator.next();
    generator.next();
    generator.next();

    assertThat(generator.hasNext()).isFalse();
    assertThatThrownBy(generator::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void unboundedCountNeverEnds() {
    TransactionGenerator generator =
        new TransactionGenerator(GeneratorSettings.defaults().withCount(0));

    assertThat(generator.stream().limit(10_000).count()).isEqualTo(10_000);
    assertThat(generator.hasNext()).isTrue();
  }

  @Test
  void defaultRatiosAreRoughlyRespectedOver20000Records() {
    Map<Kind, Long> kinds = kindsOf(GeneratorSettings.defaults().withCount(20_000));

    assertThat(kinds.get(Kind.DUPLICATE)).isBetween(150L, 250L); // 1% of 20,000 = 200
    assertThat(invalid(kinds)).isBetween(8L, 40L); // 0.1% = 20
  }

  @Test
  void higherRatiosAreRoughlyRespectedOver20000Records() {
    Map<Kind, Long> kinds =
        kindsOf(
            GeneratorSettings.defaults()
                .withCount(20_000)
                .withDuplicateRatio(0.05)
                .withInvalidRatio(0.10));

    assertThat(kinds.get(Kind.DUPLICATE)).isBetween(850L, 1_150L); // 1,000
    assertThat(invalid(kinds)).isBetween(1_800L, 2_200L); // 2,000
    assertThat(kinds.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(20_000);
  }

  @Test
  void everyKindAppears() {
    assertThat(kindsOf(GeneratorSettings.defaults().withCount(20_000)))
        .allSatisfy((kind, count) -> assertThat(count).as(kind.name()).isPositive());
  }

  @Test
  void zeroRatiosGiveOnlyValidRecords() {
    Map<Kind, Long> kinds =
        kindsOf(
            GeneratorSettings.defaults()
                .withCount(2_000)
                .withDuplicateRatio(0)
                .withInvalidRatio(0));

    assertThat(kinds.get(Kind.VALID)).isEqualTo(2_000);
  }

  @Test
  void validRecordsAreWellFormedTransactionsKeyedByAccount() throws UndecodableException {
    GeneratorSettings settings =
        GeneratorSettings.defaults().withCount(5_000).withAccounts(200).withMerchants(7);
    TransactionGenerator generator = new TransactionGenerator(settings);
    long index = 0;
    long debits = 0;
    long debitsWithMerchant = 0;
    long credits = 0;
    while (generator.hasNext()) {
      GeneratedRecord record = generator.next();
      index++;
      if (record.kind() != Kind.VALID) {
        continue;
      }
      Transaction txn = SERDE.decode(record.value());
      assertThat(record.key())
          .isEqualTo(txn.getAccountId())
          .matches("acct-000(00[1-9]|0[1-9]\\d|1\\d\\d|200)");
      assertThat(txn.getTxnId()).isNotEmpty().hasSizeLessThanOrEqualTo(64);
      assertThat(txn.getAmountCents()).isNotZero();
      assertThat(txn.getCurrency()).isIn("EUR", "USD", "GBP");
      long expectedMillis = (index - 1) * TransactionGenerator.STEP_MILLIS;
      assertThat(Duration.between(TransactionGenerator.EPOCH, txn.getEventTime()).toMillis())
          .isCloseTo(expectedMillis, within((long) TransactionGenerator.JITTER_MILLIS));
      if (txn.getAmountCents() < 0) {
        debits++;
        if (txn.getMerchantId() != null) {
          debitsWithMerchant++;
          assertThat(txn.getMerchantId()).matches("merchant-000[1-7]");
        }
      } else {
        credits++;
        assertThat(txn.getMerchantId()).isNull();
      }
    }
    assertThat(debits).isGreaterThan(credits);
    assertThat(credits).isPositive();
    assertThat(debitsWithMerchant).isGreaterThan(debits * 8 / 10);
  }

  @Test
  void eachAccountKeepsItsHomeCurrencyMostlyEur() throws UndecodableException {
    GeneratorSettings settings = GeneratorSettings.defaults().withCount(20_000);
    TransactionGenerator generator = new TransactionGenerator(settings);
    Map<String, String> currencyOf = new HashMap<>();
    while (generator.hasNext()) {
      GeneratedRecord record = generator.next();
      if (record.kind() == Kind.VALID) {
        Transaction txn = SERDE.decode(record.value());
        String previous = currencyOf.putIfAbsent(txn.getAccountId(), txn.getCurrency());
        assertThat(previous).as(txn.getAccountId()).isIn(null, txn.getCurrency());
      }
    }
    long eur = currencyOf.values().stream().filter("EUR"::equals).count();
    assertThat(eur).isGreaterThan(currencyOf.size() / 2);
    assertThat(currencyOf.values()).contains("USD", "GBP");
  }

  @Test
  void duplicatesResendAnEarlierValidRecordExactly() {
    List<GeneratedRecord> records =
        generate(GeneratorSettings.defaults().withCount(10_000).withDuplicateRatio(0.05));

    List<GeneratedRecord> duplicates =
        records.stream().filter(r -> r.kind() == Kind.DUPLICATE).toList();
    assertThat(duplicates).isNotEmpty();
    for (GeneratedRecord duplicate : duplicates) {
      int at = records.indexOf(duplicate); // first record equal in key and bytes (and kind)
      GeneratedRecord asValid = new GeneratedRecord(duplicate.key(), duplicate.value(), Kind.VALID);
      int original = records.indexOf(asValid);
      assertThat(original).isBetween(0, at - 1);
    }
  }

  @Test
  void badRecordsAreWhatTheirKindSays() throws UndecodableException {
    List<GeneratedRecord> records =
        generate(GeneratorSettings.defaults().withCount(20_000).withInvalidRatio(0.05));

    for (GeneratedRecord record : records) {
      switch (record.kind()) {
        case UNDECODABLE_GARBAGE, UNKNOWN_FINGERPRINT, TRUNCATED_BODY ->
            assertThatThrownBy(() -> SERDE.decode(record.value()))
                .isInstanceOf(UndecodableException.class);
        case ZERO_AMOUNT -> assertThat(SERDE.decode(record.value()).getAmountCents()).isZero();
        case BAD_CURRENCY ->
            assertThat(SERDE.decode(record.value()).getCurrency()).doesNotMatch("[A-Z]{3}");
        case EMPTY_TXN_ID -> assertThat(SERDE.decode(record.value()).getTxnId()).isEmpty();
        case KEY_MISMATCH ->
            assertThat(SERDE.decode(record.value()).getAccountId()).isNotEqualTo(record.key());
        default -> {}
      }
    }
  }

  @Test
  void settingsRejectImpossibleValues() {
    GeneratorSettings defaults = GeneratorSettings.defaults();

    assertThatThrownBy(() -> defaults.withDuplicateRatio(1.5))
        .hasMessageContaining("duplicate ratio");
    assertThatThrownBy(() -> defaults.withInvalidRatio(-0.1)).hasMessageContaining("invalid ratio");
    assertThatThrownBy(() -> defaults.withDuplicateRatio(0.6).withInvalidRatio(0.6))
        .hasMessageContaining("exceed 1");
    assertThatThrownBy(() -> defaults.withAccounts(0)).hasMessageContaining("accounts");
    assertThatThrownBy(() -> defaults.withMerchants(0)).hasMessageContaining("merchants");
    assertThatThrownBy(() -> defaults.withPartitions(0)).hasMessageContaining("partitions");
  }

  @Test
  void idsAreZeroPaddedFromOne() {
    assertThat(TransactionGenerator.accountId(0)).isEqualTo("acct-000001");
    assertThat(TransactionGenerator.accountId(999)).isEqualTo("acct-001000");
    assertThat(TransactionGenerator.merchantId(0)).isEqualTo("merchant-0001");
  }

  private static Map<Kind, Long> kindsOf(GeneratorSettings settings) {
    TransactionGenerator generator = new TransactionGenerator(settings);
    generator.stream().forEach(record -> {});
    return generator.kindCounts();
  }

  private static long invalid(Map<Kind, Long> kinds) {
    return kinds.entrySet().stream()
        .filter(e -> e.getKey().invalid())
        .mapToLong(Map.Entry::getValue)
        .sum();
  }
}
