package tally.testkit.audit;

import java.util.Optional;

/** The {@code tally.error} reason codes of the ledger's dead letters. */
public enum DlqReason {
  UNDECODABLE("undecodable"),
  INVALID("invalid"),
  CURRENCY_MISMATCH("currency-mismatch"),
  CONFLICTING_DUPLICATE("conflicting-duplicate");

  private final String code;

  DlqReason(String code) {
    this.code = code;
  }

  /** The header value, e.g. {@code currency-mismatch}. */
  public String code() {
    return code;
  }

  public static Optional<DlqReason> fromCode(String code) {
    for (DlqReason reason : values()) {
      if (reason.code.equals(code)) {
        return Optional.of(reason);
      }
    }
    return Optional.empty();
  }
}
