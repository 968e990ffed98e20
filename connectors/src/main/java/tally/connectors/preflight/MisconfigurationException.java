package tally.connectors.preflight;

/** The job would not run correctly as configured; the message says what to change, on one line. */
public final class MisconfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MisconfigurationException(String message) {
    super(message, null, false, false); // an operator error, not a bug: no stack trace
  }
}
