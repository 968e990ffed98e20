package tally.connectors.avro;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Avro single-object encoding (marker {@code C3 01}, CRC-64-AVRO fingerprint, binary body) for one
 * generated record class, built on Avro's own {@link BinaryMessageEncoder} and {@link
 * BinaryMessageDecoder}. The decoder knows every released version of the record (from {@link
 * SchemaCatalog}) and reads each into the current class under Avro's resolution rules.
 *
 * <p>Serializable so Flink functions can hold one; the Avro machinery is rebuilt lazily per JVM.
 */
public final class AvroSingleObjectSerde<T extends SpecificRecordBase> implements Serializable {

  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private transient BinaryMessageEncoder<T> encoder;
  private transient BinaryMessageDecoder<T> decoder;

  private AvroSingleObjectSerde(Class<T> type) {
    this.type = type;
  }

  public static <T extends SpecificRecordBase> AvroSingleObjectSerde<T> forType(Class<T> type) {
    return new AvroSingleObjectSerde<>(type);
  }

  public Class<T> type() {
    return type;
  }

  public byte[] encode(T record) {
    try {
      // Straight into a per-thread buffer, then one copy out: Avro's encode(record) copies into a
      // new ByteBuffer first, which a byte[] caller must copy again.
      ByteArrayOutputStream buffer = ENCODE_BUFFER.get();
      buffer.reset();
      encoder().encode(record, buffer);
      return buffer.toByteArray();
    } catch (IOException e) {
      throw new AvroRuntimeException("Cannot encode " + type.getSimpleName(), e);
    }
  }

  /**
   * Decodes one single-object encoded value.
   *
   * @throws UndecodableException with a short human reason when the bytes are not a value of this
   *     record (no marker, unknown writer fingerprint, corrupt or trailing body)
   */
  public T decode(byte[] bytes) throws UndecodableException {
    if (bytes == null) {
      throw new UndecodableException("value is null");
    }
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    T record;
    try {
      record = decoder().decode(in, null);
    } catch (MissingSchemaException e) {
      throw new UndecodableException("unknown writer schema fingerprint " + fingerprintOf(bytes));
    } catch (BadHeaderException e) {
      throw new UndecodableException("not Avro single-object encoded (" + e.getMessage() + ")");
    } catch (IOException
        | AvroRuntimeException
        | IndexOutOfBoundsException
        | NegativeArraySizeException
        | ClassCastException e) {
      throw new UndecodableException("corrupt " + type.getSimpleName() + " body (" + e + ")");
    }
    if (in.available() > 0) {
      throw new UndecodableException(
          "corrupt " + type.getSimpleName() + " body (" + in.available() + " trailing bytes)");
    }
    return record;
  }

  /** Reused per thread; its capacity grows to the largest record once. */
  private static final ThreadLocal<ByteArrayOutputStream> ENCODE_BUFFER =
      ThreadLocal.withInitial(() -> new ByteArrayOutputStream(256));

  private static String fingerprintOf(byte[] bytes) {
    if (bytes.length < 10) {
      return "(truncated header)";
    }
    StringBuilder hex = new StringBuilder("0x");
    for (int i = 9; i >= 2; i--) { // little-endian on the wire
      hex.append(String.format("%02x", bytes[i]));
    }
    return hex.toString();
  }

  private BinaryMessageEncoder<T> encoder() {
    if (encoder == null) {
      encoder = new BinaryMessageEncoder<>(model(), currentSchema());
    }
    return encoder;
  }

  private BinaryMessageDecoder<T> decoder() {
    if (decoder == null) {
      Schema current = currentSchema();
      BinaryMessageDecoder<T> d = new BinaryMessageDecoder<>(model(), current);
      long currentFingerprint = SchemaNormalization.parsingFingerprint64(current);
      for (Schema version : SchemaCatalog.versionsOf(type.getSimpleName())) {
        if (SchemaNormalization.parsingFingerprint64(version) != currentFingerprint) {
          d.addSchema(version);
        }
      }
      decoder = d;
    }
    return decoder;
  }

  private SpecificData model() {
    return SpecificData.getForClass(type);
  }

  private Schema currentSchema() {
    return SpecificData.get().getSchema(type);
  }
}
