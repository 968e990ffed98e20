package tally.testkit.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.avro.SchemaCatalog;
import tally.schemas.Transaction;

/** The generated topic mixes producers on schema v1 and on the current schema, all readable. */
class WriterVersionsTest {

  @Test
  void validRecordsComeFromBothWriterVersionsAndAllDecode() throws Exception {
    var versions = SchemaCatalog.versionsOf("Transaction");
    long v1 = SchemaNormalization.parsingFingerprint64(versions.get(0));
    long current = SchemaNormalization.parsingFingerprint64(Transaction.getClassSchema());
    var serde = AvroSingleObjectSerde.forType(Transaction.class);

    TransactionGenerator generator =
        new TransactionGenerator(
            GeneratorSettings.defaults()
                .withCount(2_000)
                .withDuplicateRatio(0)
                .withInvalidRatio(0));
    Map<Long, Long> byFingerprint =
        generator.stream()
            .collect(
                Collectors.groupingBy(
                    r -> ByteBuffer.wrap(r.value(), 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(),
                    Collectors.counting()));

    assertThat(byFingerprint).containsOnlyKeys(v1, current);
    assertThat(byFingerprint.get(v1)).isGreaterThan(500);
    assertThat(byFingerprint.get(current)).isGreaterThan(500);
    for (GeneratedRecord record :
        new TransactionGenerator(
                GeneratorSettings.defaults()
                    .withCount(200)
                    .withDuplicateRatio(0)
                    .withInvalidRatio(0))
            .stream().toList()) {
      assertThat(serde.decode(record.value()).getAccountId()).isEqualTo(record.key());
    }
  }
}
