package tally.testkit.audit;

/**
 * The audit could not be carried out (Kafka unreachable, a topic unreadable); the message says why
 * in one line.
 */
public final class AuditException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuditException(String message, Throwable cause) {
    super(message, cause);
  }

  public AuditException(String message) {
    super(message);
  }
}
