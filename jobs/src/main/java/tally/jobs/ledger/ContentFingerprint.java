package tally.jobs.ledger;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import tally.schemas.Transaction;

/**
 * 64 bits of SHA-256 over what makes two transactions with one txnId "the same": account, amount,
 * currency, merchant and event time, written as {@link DataOutputStream} writes them. The dedup
 * state stores these values, so the bytes and the hash never change: another fingerprint would turn
 * every genuine duplicate arriving after an upgrade into a conflicting one.
 *
 * <p>One instance per function instance (not thread-safe): it reuses its buffers, so a record costs
 * no allocation.
 */
final class ContentFingerprint {
  private final MessageDigest sha256;
  private final Buffer bytes = new Buffer();
  private final DataOutputStream data = new DataOutputStream(bytes);
  private final byte[] digest = new byte[32];

  ContentFingerprint() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  long of(Transaction txn) {
    bytes.reset();
    try {
      data.writeUTF(txn.getAccountId());
      data.writeLong(txn.getAmountCents());
      data.writeUTF(txn.getCurrency());
      data.writeBoolean(txn.getMerchantId() != null);
      if (txn.getMerchantId() != null) {
        data.writeUTF(txn.getMerchantId());
      }
      data.writeLong(txn.getEventTime().toEpochMilli());
      sha256.update(bytes.array(), 0, bytes.size());
      sha256.digest(digest, 0, digest.length);
    } catch (IOException | DigestException e) {
      throw new UncheckedIOException(new IOException(e));
    }
    long value = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      value = (value << 8) | (digest[i] & 0xff);
    }
    return value;
  }

  /** A byte stream whose array is read in place instead of copied. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(96);
    }

    byte[] array() {
      return buf;
    }
  }
}
