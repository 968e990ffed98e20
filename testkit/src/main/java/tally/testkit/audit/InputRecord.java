package tally.testkit.audit;

/** One record of the transactions topic as the ledger saw it; key and value may be null. */
public record InputRecord(int partition, long offset, byte[] key, byte[] value) {}
