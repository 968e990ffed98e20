package tally.jobs.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.deadletter.Decoded;
import tally.connectors.kafka.KafkaInputRecord;
import tally.schemas.Transaction;

/** Builds transactions and the raw Kafka records carrying them, for tests. */
final class TestTransactions {
  static final AvroSingleObjectSerde<Transaction> SERDE =
      AvroSingleObjectSerde.forType(Transaction.class);
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static long nextOffset;

  private TestTransactions() {}

  static Transaction txn(String txnId, String account, long amountCents, String currency) {
    return Transaction.newBuilder()
        .setTxnId(txnId)
        .setAccountId(account)
        .setAmountCents(amountCents)
        .setCurrency(currency)
        .setMerchantId(amountCents < 0 ? "merchant-1" : null)
        .setEventTime(T0.plusSeconds(txnId.hashCode() & 0xffff))
        .build();
  }

  static KafkaInputRecord record(Transaction txn) {
    return record(txn.getAccountId(), SERDE.encode(txn));
  }

  static KafkaInputRecord record(String key, byte[] value) {
    return new KafkaInputRecord(
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value,
        "tally.transactions",
        0,
        nextOffset++,
        0L);
  }

  static Decoded<Transaction> decoded(Transaction txn) {
    return new Decoded<>(txn, record(txn));
  }
}
