package tally.testkit.failure;

/**
 * The exception a chaos trigger makes the job throw: a task failure like any bug or bad dependency
 * would cause.
 */
public final class InjectedFailureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InjectedFailureException(String message) {
    super(message);
  }
}
