package tally.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.schemas.Transaction;
import tally.testkit.generate.GeneratedRecord;
import tally.testkit.generate.GeneratorSettings;
import tally.testkit.generate.TransactionGenerator;

/**
 * The chaos monitor's link from output back to input relies on the generator's event-time steps.
 */
class GeneratorClockTest {

  @Test
  void everyValidTransactionsEventTimeGivesBackItsPositionInTheStream() throws Exception {
    TransactionGenerator generator =
        new TransactionGenerator(GeneratorSettings.defaults().withCount(20_000).withSeed(3));
    AvroSingleObjectSerde<Transaction> serde = AvroSingleObjectSerde.forType(Transaction.class);
    int checked = 0;
    for (long index = 0; generator.hasNext(); index++) {
      GeneratedRecord record = generator.next();
      if (record.kind() == GeneratedRecord.Kind.VALID) {
        Transaction txn = serde.decode(record.value());
        assertThat(GeneratorClock.indexOf(txn.getEventTime()))
            .as("record %d", index)
            .isEqualTo(index);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(19_000);
  }
}
