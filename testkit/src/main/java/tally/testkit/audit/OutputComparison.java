package tally.testkit.audit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.avro.UndecodableException;
import tally.schemas.BalanceUpdate;
import tally.schemas.OverdraftAlert;

/**
 * Compares the records found on the three output topics with a finished {@link LedgerOracle}. Feed
 * each output record once, in any order; {@link #report} at any time. Identity: a balance update or
 * alert is identified by accountId + txnId, a dead letter by its source partition + offset headers.
 */
public final class OutputComparison {

  public static final String ERROR_HEADER = "tally.error";
  public static final String SOURCE_TOPIC_HEADER = "tally.source.topic";
  public static final String SOURCE_PARTITION_HEADER = "tally.source.partition";
  public static final String SOURCE_OFFSET_HEADER = "tally.source.offset";

  private final LedgerOracle oracle;
  private final String inputTopic;
  private final AvroSingleObjectSerde<BalanceUpdate> balanceSerde =
      AvroSingleObjectSerde.forType(BalanceUpdate.class);
  private final AvroSingleObjectSerde<OverdraftAlert> alertSerde =
      AvroSingleObjectSerde.forType(OverdraftAlert.class);
  private final CopyTally balances;
  private final CopyTally alerts;
  private final CopyTally deadLetters;

  /**
   * @param inputTopic the topic the dead letters' {@code tally.source.topic} header must name
   */
  public OutputComparison(LedgerOracle oracle, String inputTopic) {
    this.oracle = oracle;
    this.inputTopic = inputTopic;
    this.balances = new CopyTally("balances", oracle.expectedBalanceCount());
    this.alerts = new CopyTally("alerts", oracle.expectedAlertCount());
    this.deadLetters = new CopyTally("dlq", oracle.expectedDeadLetterCount());
  }

  public void acceptBalance(int partition, long offset, byte[] key, byte[] value) {
    String where = "balances " + partition + "@" + offset;
    BalanceUpdate found;
    try {
      found = balanceSerde.decode(value);
    } catch (UndecodableException e) {
      balances.unexpected(() -> where + ": undecodable (" + e.getMessage() + ")");
      return;
    }
    AccountLedger account = oracle.account(found.getAccountId());
    ExpectedTxn txn = account == null ? null : account.byTxnId.get(found.getTxnId());
    String id = found.getAccountId() + "/" + found.getTxnId();
    if (txn == null) {
      balances.unexpected(
          () -> where + ": " + id + " seq " + found.getSeq() + " was not applied by the rules");
      return;
    }
    compare(
        balances,
        txn.balanceOrdinal,
        where + ": " + id,
        LedgerOracle.toBalanceUpdate(account, txn),
        found,
        key);
  }

  public void acceptAlert(int partition, long offset, byte[] key, byte[] value) {
    String where = "alerts " + partition + "@" + offset;
    OverdraftAlert found;
    try {
      found = alertSerde.decode(value);
    } catch (UndecodableException e) {
      alerts.unexpected(() -> where + ": undecodable (" + e.getMessage() + ")");
      return;
    }
    AccountLedger account = oracle.account(found.getAccountId());
    ExpectedTxn txn = account == null ? null : account.byTxnId.get(found.getTxnId());
    String id = found.getAccountId() + "/" + found.getTxnId();
    if (txn == null || !txn.alerts()) {
      alerts.unexpected(
          () ->
              where
                  + ": "
                  + id
                  + " (balance "
                  + found.getPreviousBalanceCents()
                  + " -> "
                  + found.getBalanceCents()
                  + ") is not an overdraft crossing by the rules");
      return;
    }
    compare(
        alerts,
        txn.alertOrdinal,
        where + ": " + id,
        LedgerOracle.toAlert(account, txn),
        found,
        key);
  }

  /**
   * @param headers the record's headers (last value per key)
   */
  public void acceptDeadLetter(
      int partition, long offset, byte[] key, byte[] value, Map<String, byte[]> headers) {
    String where = "dlq " + partition + "@" + offset;
    String sourceTopic = header(headers, SOURCE_TOPIC_HEADER);
    Long sourcePartition = parseLong(header(headers, SOURCE_PARTITION_HEADER));
    Long sourceOffset = parseLong(header(headers, SOURCE_OFFSET_HEADER));
    if (!inputTopic.equals(sourceTopic)
        || sourcePartition == null
        || sourceOffset == null
        || sourcePartition != sourcePartition.intValue()) {
      deadLetters.unexpected(
          () ->
              where
                  + ": source headers "
                  + sourceTopic
                  + "/"
                  + header(headers, SOURCE_PARTITION_HEADER)
                  + "/"
                  + header(headers, SOURCE_OFFSET_HEADER)
                  + " do not name a record of "
                  + inputTopic);
      return;
    }
    String source = inputTopic + "-" + sourcePartition + "@" + sourceOffset;
    Integer ordinal = oracle.deadLetterOrdinal(sourcePartition.intValue(), sourceOffset);
    if (ordinal == null) {
      deadLetters.unexpected(
          () ->
              where
                  + ": "
                  + source
                  + " ("
                  + header(headers, ERROR_HEADER)
                  + ") was not rejected by the rules");
      return;
    }
    ExpectedDeadLetter expected = oracle.deadLetter(ordinal);
    List<String> differences = new ArrayList<>();
    String reason = header(headers, ERROR_HEADER);
    if (!expected.reason().code().equals(reason)) {
      differences.add(ERROR_HEADER + " expected " + expected.reason().code() + ", found " + reason);
    }
    if (!Arrays.equals(expected.key(), key)) {
      differences.add("key bytes changed");
    }
    if (!Arrays.equals(expected.value(), value)) {
      differences.add("value bytes changed");
    }
    String id = where + ": " + source + " " + expected.reason().code();
    if (differences.isEmpty()) {
      deadLetters.exact(ordinal, () -> id);
    } else {
      deadLetters.different(ordinal, () -> id + ": " + String.join(", ", differences));
    }
  }

  public OutputCounts balances() {
    return balances.counts(
        ordinal -> describeExpected(txn -> txn.balanceOrdinal == ordinal, "balance update"));
  }

  public OutputCounts alerts() {
    return alerts.counts(ordinal -> describeExpected(txn -> txn.alertOrdinal == ordinal, "alert"));
  }

  public OutputCounts deadLetters() {
    return deadLetters.counts(
        ordinal -> {
          ExpectedDeadLetter letter = oracle.deadLetter(ordinal);
          return "dead letter "
              + inputTopic
              + "-"
              + letter.partition()
              + "@"
              + letter.offset()
              + " "
              + letter.reason().code();
        });
  }

  /** True when every expected record of every output has been found at least once. */
  public boolean nothingLost() {
    return balances.lost() == 0 && alerts.lost() == 0 && deadLetters.lost() == 0;
  }

  /** A one-line summary for progress logs. */
  public String progress() {
    return progress(balances) + ", " + progress(alerts) + ", " + progress(deadLetters);
  }

  public AuditReport report() {
    return report(false, Duration.ZERO, List.of());
  }

  public AuditReport report(boolean timedOut, Duration waited, List<String> notes) {
    Map<String, Long> byReason = new LinkedHashMap<>();
    oracle
        .expectedDeadLettersByReason()
        .forEach((reason, count) -> byReason.put(reason.code(), count));
    return new AuditReport(
        inputTopic,
        oracle.inputRecords(),
        oracle.duplicatesDropped(),
        byReason,
        balances(),
        alerts(),
        deadLetters(),
        timedOut,
        waited,
        notes);
  }

  private static String progress(CopyTally tally) {
    return tally.output()
        + " "
        + tally.found()
        + "/"
        + tally.expected()
        + " (lost "
        + tally.lost()
        + ")";
  }

  private <T extends SpecificRecordBase> void compare(
      CopyTally tally, int ordinal, String id, T expected, T found, byte[] key) {
    List<String> differences = differences(expected, found);
    String accountId = String.valueOf(expected.get("accountId"));
    if (!Arrays.equals(accountId.getBytes(StandardCharsets.UTF_8), key)) {
      differences.add(
          "key expected "
              + accountId
              + ", found "
              + (key == null ? "null" : new String(key, StandardCharsets.UTF_8)));
    }
    if (differences.isEmpty()) {
      tally.exact(ordinal, () -> id);
    } else {
      tally.different(ordinal, () -> id + ": " + String.join(", ", differences));
    }
  }

  /** "field expected X, found Y" for each field that differs, by the record's schema. */
  static List<String> differences(SpecificRecordBase expected, SpecificRecordBase found) {
    List<String> differences = new ArrayList<>();
    for (Schema.Field field : expected.getSchema().getFields()) {
      Object want = expected.get(field.pos());
      Object got = found.get(field.pos());
      if (!Objects.equals(want, got)) {
        differences.add(field.name() + " expected " + want + ", found " + got);
      }
    }
    return differences;
  }

  private String describeExpected(Predicate<ExpectedTxn> which, String what) {
    for (AccountLedger account : oracle.accounts()) {
      for (ExpectedTxn txn : account.inSeqOrder) {
        if (which.test(txn)) {
          return what + " " + account.accountId + "/" + txn.txnId + " seq " + txn.seq;
        }
      }
    }
    return what + " (unknown)";
  }

  private static String header(Map<String, byte[]> headers, String name) {
    byte[] value = headers == null ? null : headers.get(name);
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  private static Long parseLong(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
