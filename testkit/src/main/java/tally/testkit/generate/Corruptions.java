package tally.testkit.generate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import tally.schemas.Transaction;

/** Byte-level ways a producer can get a value wrong; each must be caught by ledger rule 1. */
final class Corruptions {

  /** Single-object encoding: 2 marker bytes, then the 8-byte schema fingerprint. */
  static final int HEADER_LENGTH = 10;

  private static final int MARKER_FIRST_BYTE = 0xC3;

  private Corruptions() {}

  /** Either JSON text (a producer with the wrong serializer) or random bytes without the marker. */
  static byte[] garbage(Transaction looksLike, SplittableRandom random) {
    if (random.nextBoolean()) {
      String json =
          "{\"txnId\":\""
              + looksLike.getTxnId()
              + "\",\"accountId\":\""
              + looksLike.getAccountId()
              + "\",\"amountCents\":"
              + looksLike.getAmountCents()
              + ",\"currency\":\""
              + looksLike.getCurrency()
              + "\",\"eventTime\":\""
              + looksLike.getEventTime()
              + "\"}";
      return json.getBytes(StandardCharsets.UTF_8);
    }
    byte[] bytes = new byte[1 + random.nextInt(40)];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    if ((bytes[0] & 0xFF) == MARKER_FIRST_BYTE) {
      bytes[0] = 0x00; // keep it unmistakably without the marker
    }
    return bytes;
  }

  /** A valid encoding whose fingerprint is replaced by one no schema has. */
  static byte[] withUnknownFingerprint(byte[] encoded, SplittableRandom random) {
    byte[] bytes = encoded.clone();
    do {
      for (int i = 2; i < HEADER_LENGTH; i++) {
        bytes[i] = (byte) random.nextInt(256);
      }
    } while (Arrays.equals(bytes, 2, HEADER_LENGTH, encoded, 2, HEADER_LENGTH));
    return bytes;
  }

  /**
   * A valid encoding with at least one body byte cut off. Avro binary is self-delimiting, so a
   * proper prefix of a valid body never decodes.
   */
  static byte[] truncated(byte[] encoded, SplittableRandom random) {
    int bodyLength = encoded.length - HEADER_LENGTH;
    return Arrays.copyOf(encoded, HEADER_LENGTH + random.nextInt(bodyLength));
  }
}
