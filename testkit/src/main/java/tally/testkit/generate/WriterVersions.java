package tally.testkit.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.avro.SchemaCatalog;
import tally.schemas.Transaction;

/**
 * Plays producers that have not all upgraded: writes a transaction with the writer schema of a
 * given released version of {@code Transaction} (v1 producers know no channel or reference), so the
 * topic carries several writer fingerprints, as it does in a real rollout.
 */
final class WriterVersions {
  private final List<Schema> versions = SchemaCatalog.versionsOf("Transaction");
  private final AvroSingleObjectSerde<Transaction> current =
      AvroSingleObjectSerde.forType(Transaction.class);
  private final BinaryMessageEncoder<GenericRecord> v1 =
      new BinaryMessageEncoder<>(GenericData.get(), versions.get(0));

  /** Encodes with the newest schema. */
  byte[] current(Transaction txn) {
    return current.encode(txn);
  }

  /** Encodes with schema v1: only the fields v1 has. */
  byte[] v1(Transaction txn) {
    Schema schema = versions.get(0);
    GenericRecord record = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      Object value = txn.get(field.name());
      record.put(
          field.name(),
          value instanceof java.time.Instant instant ? instant.toEpochMilli() : value);
    }
    try {
      ByteBuffer buffer = v1.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
