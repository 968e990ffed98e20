package tally.connectors.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;
import tally.schemas.Transaction;

class AvroSingleObjectSerdeTest {
  private final AvroSingleObjectSerde<Transaction> serde =
      AvroSingleObjectSerde.forType(Transaction.class);

  private static Transaction sample() {
    return Transaction.newBuilder()
        .setTxnId("t-1")
        .setAccountId("acct-1")
        .setAmountCents(-1234)
        .setCurrency("EUR")
        .setMerchantId("merchant-7")
        .setEventTime(Instant.parse("2026-01-01T00:00:00Z"))
        .build();
  }

  @Test
  void roundTripsWithTheSpecMarkerAndFingerprint() throws Exception {
    byte[] bytes = serde.encode(sample());
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(serde.decode(bytes)).isEqualTo(sample());
  }

  @Test
  void readsBytesWrittenByAvrosOwnEncoderForTheSameSchema() throws Exception {
    byte[] bytes = Transaction.getEncoder().encode(sample()).array();
    assertThat(serde.decode(bytes)).isEqualTo(sample());
  }

  @Test
  void readsTransactionsWrittenWithSchemaV1IntoTheCurrentClass() throws Exception {
    Schema v1 = SchemaCatalog.versionsOf("Transaction").get(0);
    GenericRecord old = new GenericData.Record(v1);
    old.put("txnId", "t-1");
    old.put("accountId", "acct-1");
    old.put("amountCents", -1234L);
    old.put("currency", "EUR");
    old.put("merchantId", "merchant-7");
    old.put("eventTime", Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
    byte[] bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old).array();

    Transaction read = serde.decode(bytes);
    assertThat(read.getTxnId()).isEqualTo("t-1");
    assertThat(read.getAmountCents()).isEqualTo(-1234);
    assertThat(read.getChannel()).isEqualTo(tally.schemas.Channel.UNKNOWN);
    assertThat(read.getReference()).isNull();
  }

  @Test
  void aV1ReaderReadsWhatTheCurrentSchemaWrites() throws Exception {
    Schema v1 = SchemaCatalog.versionsOf("Transaction").get(0);
    var v1Reader =
        new org.apache.avro.message.BinaryMessageDecoder<GenericRecord>(GenericData.get(), v1);
    v1Reader.addSchema(Transaction.getClassSchema());
    Transaction current =
        Transaction.newBuilder(sample())
            .setChannel(tally.schemas.Channel.CARD)
            .setReference("invoice 42")
            .build();

    GenericRecord read = v1Reader.decode(serde.encode(current));
    assertThat(read.get("txnId").toString()).isEqualTo("t-1");
    assertThat(read.get("amountCents")).isEqualTo(-1234L);
    assertThat(read.getSchema().getField("channel")).isNull();
  }

  @Test
  void rejectsBytesWithoutTheMarker() {
    assertThatThrownBy(() -> serde.decode("{\"txnId\":\"t-1\"}".getBytes()))
        .isInstanceOf(UndecodableException.class)
        .hasMessageContaining("not Avro single-object encoded");
  }

  @Test
  void rejectsAnUnknownWriterFingerprint() throws Exception {
    Schema other =
        SchemaBuilder.record("Other")
            .namespace("elsewhere")
            .fields()
            .requiredString("x")
            .endRecord();
    GenericRecord record = new GenericData.Record(other);
    record.put("x", "y");
    byte[] bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), other).encode(record).array();
    assertThatThrownBy(() -> serde.decode(bytes))
        .isInstanceOf(UndecodableException.class)
        .hasMessageContaining("unknown writer schema fingerprint 0x");
  }

  @Test
  void rejectsATruncatedBody() {
    byte[] bytes = serde.encode(sample());
    assertThatThrownBy(() -> serde.decode(Arrays.copyOf(bytes, bytes.length - 5)))
        .isInstanceOf(UndecodableException.class)
        .hasMessageContaining("corrupt Transaction body");
  }

  @Test
  void rejectsTrailingBytes() {
    byte[] bytes = serde.encode(sample());
    assertThatThrownBy(() -> serde.decode(Arrays.copyOf(bytes, bytes.length + 3)))
        .isInstanceOf(UndecodableException.class)
        .hasMessageContaining("trailing bytes");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> serde.decode(null)).isInstanceOf(UndecodableException.class);
  }

  @Test
  void catalogKnowsEveryReleasedVersion() {
    assertThat(SchemaCatalog.versionsOf("Transaction")).isNotEmpty();
    assertThat(SchemaNormalization.parsingFingerprint64(SchemaCatalog.latestOf("Transaction")))
        .isEqualTo(SchemaNormalization.parsingFingerprint64(Transaction.getClassSchema()));
    assertThatThrownBy(() -> SchemaCatalog.versionsOf("NoSuchRecord"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
