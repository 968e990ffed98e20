package tally.testkit.audit;

import static tally.testkit.audit.Transactions.encode;
import static tally.testkit.audit.Transactions.txn;
import static tally.testkit.audit.Transactions.utf8;
import static tally.testkit.audit.Transactions.with;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.schemas.BalanceUpdate;
import tally.schemas.OverdraftAlert;
import tally.schemas.Transaction;

/**
 * A small input that exercises every rule, and the outputs a correct ledger job writes for it
 * (derived from the oracle, then tampered with by tests).
 */
final class Scenario {

  static final String INPUT_TOPIC = "tally.transactions";

  /** An output record as read from Kafka. */
  record Out(int partition, long offset, byte[] key, byte[] value, Map<String, byte[]> headers) {}

  static final AvroSingleObjectSerde<BalanceUpdate> BALANCES =
      AvroSingleObjectSerde.forType(BalanceUpdate.class);
  static final AvroSingleObjectSerde<OverdraftAlert> ALERTS =
      AvroSingleObjectSerde.forType(OverdraftAlert.class);

  final List<InputRecord> input = new ArrayList<>();
  final List<Out> balances = new ArrayList<>();
  final List<Out> alerts = new ArrayList<>();
  final List<Out> deadLetters = new ArrayList<>();
  final LedgerOracle oracle;

  Scenario() {
    Transaction a1 = txn("acct-1", "a1", 1_000);
    add(0, a1);
    add(0, txn("acct-1", "a2", -1_500)); // alert
    add(0, with(txn("acct-1", "a3", -100), b -> b.setMerchantId("merchant-0001")));
    add(0, a1); // dropped
    add(0, with(txn("acct-1", "a4", 100), b -> b.setCurrency("USD"))); // currency-mismatch
    add(0, with(a1, b -> b.setAmountCents(999L))); // conflicting-duplicate
    add(1, txn("acct-2", "b1", -200)); // alert
    add(1, utf8("acct-2"), new byte[] {42, 42}); // undecodable
    add(1, txn("acct-2", "b2", 0)); // invalid
    oracle = LedgerOracle.of(input);
    writeCorrectOutputs();
  }

  private void add(int partition, Transaction txn) {
    add(partition, utf8(txn.getAccountId()), encode(txn));
  }

  private void add(int partition, byte[] key, byte[] value) {
    long offset = input.stream().filter(r -> r.partition() == partition).count();
    input.add(new InputRecord(partition, offset, key, value));
  }

  private void writeCorrectOutputs() {
    oracle
        .expectedBalances()
        .forEach(
            update ->
                balances.add(
                    new Out(
                        0,
                        balances.size(),
                        utf8(update.getAccountId()),
                        BALANCES.encode(update),
                        Map.of())));
    oracle
        .expectedAlerts()
        .forEach(
            alert ->
                alerts.add(
                    new Out(
                        0,
                        alerts.size(),
                        utf8(alert.getAccountId()),
                        ALERTS.encode(alert),
                        Map.of())));
    for (ExpectedDeadLetter letter : oracle.expectedDeadLetters()) {
      deadLetters.add(
          deadLetter(
              letter.key(),
              letter.value(),
              letter.reason().code(),
              INPUT_TOPIC,
              letter.partition(),
              letter.offset()));
    }
  }

  Out deadLetter(
      byte[] key, byte[] value, String reason, String topic, int partition, long offset) {
    Map<String, byte[]> headers = new HashMap<>();
    headers.put("tally.error", utf8(reason));
    headers.put("tally.error.detail", utf8("because"));
    headers.put("tally.source.topic", utf8(topic));
    headers.put("tally.source.partition", utf8(Integer.toString(partition)));
    headers.put("tally.source.offset", utf8(Long.toString(offset)));
    return new Out(0, deadLetters.size(), key, value, headers);
  }

  OutputComparison compare() {
    OutputComparison comparison = new OutputComparison(oracle, INPUT_TOPIC);
    balances.forEach(
        out -> comparison.acceptBalance(out.partition(), out.offset(), out.key(), out.value()));
    alerts.forEach(
        out -> comparison.acceptAlert(out.partition(), out.offset(), out.key(), out.value()));
    deadLetters.forEach(
        out ->
            comparison.acceptDeadLetter(
                out.partition(), out.offset(), out.key(), out.value(), out.headers()));
    return comparison;
  }

  static Out withValue(Out out, byte[] value) {
    return new Out(out.partition(), out.offset(), out.key(), value, out.headers());
  }

  static Out withKey(Out out, byte[] key) {
    return new Out(out.partition(), out.offset(), key, out.value(), out.headers());
  }

  static Out withHeader(Out out, String name, String value) {
    Map<String, byte[]> headers = new HashMap<>(out.headers());
    headers.put(name, utf8(value));
    return new Out(out.partition(), out.offset(), out.key(), out.value(), headers);
  }
}
