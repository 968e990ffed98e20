package org.apache.flink.formats.avro.typeutils;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Test-only access to Flink's package-private {@link AvroSerializer} constructor: a serializer of
 * a generated class that reads and writes with an earlier version of its schema, and snapshots
 * that schema. It writes state exactly as a release compiled against that earlier schema did.
 */
public final class EarlierSchemaAvroSerializer {
  private EarlierSchemaAvroSerializer() {}

  public static <T extends SpecificRecord> AvroSerializer<T> of(Class<T> type, Schema earlierSchema) {
    SerializableAvroSchema schema = new SerializableAvroSchema(earlierSchema);
    return new AvroSerializer<>(type, schema, schema);
  }
}
