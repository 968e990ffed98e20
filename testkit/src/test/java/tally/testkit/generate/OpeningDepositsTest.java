package tally.testkit.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.schemas.Transaction;
import tally.testkit.generate.GeneratedRecord.Kind;

class OpeningDepositsTest {
  private static final AvroSingleObjectSerde<Transaction> SERDE =
      AvroSingleObjectSerde.forType(Transaction.class);

  private static List<GeneratedRecord> all(GeneratorSettings settings) {
    List<GeneratedRecord> records = new ArrayList<>();
    new OpeningDeposits(settings).forEachRemaining(records::add);
    return records;
  }

  @Test
  void oneValidDepositPerAccountInTheGeneratorsAccountIds() throws Exception {
    GeneratorSettings settings = GeneratorSettings.defaults().withAccounts(5_000).withSeed(7);
    TransactionGenerator generator = new TransactionGenerator(settings);

    List<GeneratedRecord> records = all(settings);

    assertThat(records).hasSize(5_000);
    Set<String> accounts = new HashSet<>();
    Set<String> txnIds = new HashSet<>();
    for (int i = 0; i < records.size(); i++) {
      GeneratedRecord record = records.get(i);
      Transaction txn = SERDE.decode(record.value());
      assertThat(record.kind()).isEqualTo(Kind.VALID);
      assertThat(record.key()).isEqualTo(txn.getAccountId());
      assertThat(txn.getAccountId()).isEqualTo(TransactionGenerator.accountId(i));
      assertThat(txn.getAmountCents())
          .isBetween(OpeningDeposits.MIN_CENTS, OpeningDeposits.MAX_CENTS);
      assertThat(txn.getCurrency()).isEqualTo(generator.homeCurrencyOf(i)).matches("[A-Z]{3}");
      assertThat(txn.getTxnId()).startsWith("open-7-").hasSizeLessThanOrEqualTo(64);
      assertThat(txn.getEventTime()).isBefore(TransactionGenerator.EPOCH);
      accounts.add(txn.getAccountId());
      txnIds.add(txn.getTxnId());
    }
    assertThat(accounts).hasSize(5_000);
    assertThat(txnIds).hasSize(5_000);
  }

  @Test
  void laterGeneratedTransactionsUseTheDepositsCurrency() throws Exception {
    GeneratorSettings settings =
        GeneratorSettings.defaults().withAccounts(300).withCount(20_000).withInvalidRatio(0);
    Map<String, String> currencyOf = new HashMap<>();
    for (GeneratedRecord deposit : all(settings)) {
      Transaction txn = SERDE.decode(deposit.value());
      currencyOf.put(txn.getAccountId(), txn.getCurrency());
    }

    for (GeneratedRecord record : new TransactionGenerator(settings).stream().toList()) {
      Transaction txn = SERDE.decode(record.value());
      assertThat(txn.getCurrency()).isEqualTo(currencyOf.get(txn.getAccountId()));
      assertThat(txn.getTxnId()).doesNotStartWith("open-");
    }
  }

  @Test
  void sameSettingsSameBytesAndStopsAfterTheLastAccount() {
    GeneratorSettings settings = GeneratorSettings.defaults().withAccounts(50);
    assertThat(all(settings)).isEqualTo(all(settings));

    OpeningDeposits deposits = new OpeningDeposits(settings);
    assertThat(deposits.count()).isEqualTo(50);
    for (int i = 0; i < 50; i++) {
      deposits.next();
    }
    assertThat(deposits.hasNext()).isFalse();
    assertThatThrownBy(deposits::next).isInstanceOf(NoSuchElementException.class);
  }
}
