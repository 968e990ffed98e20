package tally.connectors.avro;

/** The bytes are not a decodable value of the expected record; the message says why, briefly. */
public final class UndecodableException extends Exception {
  private static final long serialVersionUID = 1L;

  public UndecodableException(String reason) {
    super(reason, null, false, false); // expected on bad input: no stack trace
  }
}
