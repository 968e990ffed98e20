package tally.testkit.generate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record for {@code tally.transactions}: the key (normally the accountId), the value bytes and
 * what the generator meant it to be. Equality compares the bytes.
 */
public record GeneratedRecord(String key, byte[] value, Kind kind) {

  /** What a record was generated to be, and which ledger rule should catch it. */
  public enum Kind {
    /** A well-formed new transaction in the account's currency: applied (rule 5). */
    VALID(null),
    /** An exact re-send of an earlier valid record of the same account: dropped (rule 4). */
    DUPLICATE(null),
    /** Bytes that are not Avro single-object encoded at all (rule 1). */
    UNDECODABLE_GARBAGE("undecodable"),
    /** The single-object marker with a writer fingerprint no schema has (rule 1). */
    UNKNOWN_FINGERPRINT("undecodable"),
    /** A valid encoding with the end of the body cut off (rule 1). */
    TRUNCATED_BODY("undecodable"),
    /** amountCents = 0 (rule 2). */
    ZERO_AMOUNT("invalid"),
    /** A currency that is not three upper-case letters (rule 2). */
    BAD_CURRENCY("invalid"),
    /** An empty txnId (rule 2). */
    EMPTY_TXN_ID("invalid"),
    /** A record key different from the accountId (rule 2). */
    KEY_MISMATCH("invalid"),
    /** A new transaction in another currency than the account's (rule 3). */
    CURRENCY_MISMATCH("currency-mismatch"),
    /** An applied txnId re-sent with a different amount (rule 4). */
    CONFLICTING_DUPLICATE("conflicting-duplicate");

    private final String deadLetterReason;

    Kind(String deadLetterReason) {
      this.deadLetterReason = deadLetterReason;
    }

    /**
     * The {@code tally.error} reason code the ledger should give it, or null if it is not rejected.
     */
    public String deadLetterReason() {
      return deadLetterReason;
    }

    public boolean invalid() {
      return deadLetterReason != null;
    }
  }

  public GeneratedRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(kind, "kind");
  }

  public byte[] keyBytes() {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof GeneratedRecord that
        && key.equals(that.key)
        && kind == that.kind
        && Arrays.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, kind, Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "GeneratedRecord[" + kind + " key=" + key + ", " + value.length + " bytes]";
  }
}
