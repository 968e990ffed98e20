package tally.testkit.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.schemas.Transaction;

/** Test data: transactions and their bytes. */
final class Transactions {

  static final AvroSingleObjectSerde<Transaction> SERDE =
      AvroSingleObjectSerde.forType(Transaction.class);
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Transactions() {}

  /** A EUR transaction of {@code accountId}, no merchant, at T0. */
  static Transaction txn(String accountId, String txnId, long amountCents) {
    return Transaction.newBuilder()
        .setTxnId(txnId)
        .setAccountId(accountId)
        .setAmountCents(amountCents)
        .setCurrency("EUR")
        .setMerchantId(null)
        .setEventTime(T0)
        .build();
  }

  static Transaction with(
      Transaction txn, java.util.function.Consumer<Transaction.Builder> change) {
    Transaction.Builder builder = Transaction.newBuilder(txn);
    change.accept(builder);
    return builder.build();
  }

  static byte[] encode(Transaction txn) {
    return SERDE.encode(txn);
  }

  static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }
}
