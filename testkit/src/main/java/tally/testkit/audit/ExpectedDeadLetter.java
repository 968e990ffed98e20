package tally.testkit.audit;

/**
 * A rejected input record: the DLQ must hold exactly one copy, with these bytes and this reason.
 */
public record ExpectedDeadLetter(
    int partition, long offset, DlqReason reason, byte[] key, byte[] value) {}
