package tally.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tally.schemas.Transaction;

/**
 * The fingerprint is part of the saved dedup state: the allocation-free one must give exactly the
 * values the first release stored, or genuine duplicates after an upgrade would be dead-lettered as
 * conflicting.
 */
class ContentFingerprintTest {

  @Test
  void givesTheValuesEarlierReleasesStoredInTheDedupState() throws Exception {
    ContentFingerprint fingerprints = new ContentFingerprint();
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      Transaction txn = randomTransaction(random, i);
      assertThat(fingerprints.of(txn)).as("transaction %s", txn).isEqualTo(firstRelease(txn));
    }
  }

  @Test
  void tellsApartTransactionsThatDifferInAnyComparedField() {
    ContentFingerprint fingerprints = new ContentFingerprint();
    Transaction base = TestTransactions.txn("t-1", "acc-1", -500, "EUR");
    long fingerprint = fingerprints.of(base);
    assertThat(fingerprints.of(Transaction.newBuilder(base).setAmountCents(-501).build()))
        .isNotEqualTo(fingerprint);
    assertThat(fingerprints.of(Transaction.newBuilder(base).setCurrency("USD").build()))
        .isNotEqualTo(fingerprint);
    assertThat(fingerprints.of(Transaction.newBuilder(base).setMerchantId(null).build()))
        .isNotEqualTo(fingerprint);
    assertThat(
            fingerprints.of(
                Transaction.newBuilder(base)
                    .setEventTime(base.getEventTime().plusMillis(1))
                    .build()))
        .isNotEqualTo(fingerprint);
    assertThat(fingerprints.of(Transaction.newBuilder(base).setTxnId("t-2").build()))
        .as("the txnId is the dedup key, not part of the content")
        .isEqualTo(fingerprint);
  }

  private static Transaction randomTransaction(Random random, int i) {
    String account = (random.nextBoolean() ? "acc-" : "konto-ä€-") + random.nextInt(1_000_000);
    return Transaction.newBuilder()
        .setTxnId("t-" + i)
        .setAccountId(account)
        .setAmountCents(random.nextLong())
        .setCurrency(random.nextBoolean() ? "EUR" : "USD")
        .setMerchantId(random.nextBoolean() ? null : "merchant-" + random.nextInt(500))
        .setEventTime(Instant.ofEpochMilli(random.nextLong() >>> 22))
        .build();
  }

  /** The first release's code, kept verbatim as the reference. */
  private static long firstRelease(Transaction txn) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
    try (DataOutputStream data = new DataOutputStream(bytes)) {
      data.writeUTF(txn.getAccountId());
      data.writeLong(txn.getAmountCents());
      data.writeUTF(txn.getCurrency());
      data.writeBoolean(txn.getMerchantId() != null);
      if (txn.getMerchantId() != null) {
        data.writeUTF(txn.getMerchantId());
      }
      data.writeLong(txn.getEventTime().toEpochMilli());
    }
    return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()))
        .getLong();
  }
}
