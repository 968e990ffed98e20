package tally.jobs.ledger;

/** The reason codes of the {@code tally.error} header of the dead-letter topic (spec rules 1-4). */
public final class RejectReason {
  public static final String UNDECODABLE = tally.connectors.deadletter.DecodeAndRoute.UNDECODABLE;
  public static final String INVALID = "invalid";
  public static final String CURRENCY_MISMATCH = "currency-mismatch";
  public static final String CONFLICTING_DUPLICATE = "conflicting-duplicate";

  private RejectReason() {}
}
