package tally.testkit.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tally.schemas.BalanceUpdate;
import tally.schemas.MerchantRevenue;

/**
 * The revenue job's contract, checked without Kafka: every merchant debit in the balance updates is
 * counted exactly once, either in the window its event time falls in or as a late record. Checked
 * per window (stricter than the spec's per-merchant totals, which it implies): window total + late
 * debits of that window = all debits of that window.
 *
 * <p>A window whose end the job's watermark cannot have passed yet is "pending", not lost. The
 * watermark is estimated the way Flink computes it from per-partition watermarks: the smallest,
 * over the balance partitions, of the partition's highest event time minus the out-of-orderness.
 * After a drained stop (all windows fired) nothing may be pending.
 */
public final class RevenueComparison {
  private final long windowMillis;
  private final long outOfOrdernessMillis;
  private final Map<WindowKey, Sum> expected = new HashMap<>();
  private final Map<String, BalanceUpdate> debitsById = new HashMap<>();
  private final Map<Integer, Long> maxEventTimeByPartition = new HashMap<>();
  private final Map<WindowKey, List<MerchantRevenue>> windows = new HashMap<>();
  private final Map<String, Integer> lateCopies = new HashMap<>();
  private final List<String> examples = new ArrayList<>();
  private long lateRecords;
  private long mismatchedLate;

  public RevenueComparison(Duration window, Duration outOfOrderness) {
    this.windowMillis = window.toMillis();
    this.outOfOrdernessMillis = outOfOrderness.toMillis();
  }

  record WindowKey(String merchantId, String currency, long start) {
    @Override
    public String toString() {
      return merchantId + "/" + currency + "@" + java.time.Instant.ofEpochMilli(start);
    }
  }

  private static final class Sum {
    long cents;
    long count;

    void add(long centsToAdd) {
      cents += centsToAdd;
      count++;
    }
  }

  /** One balance update as the revenue job reads it, from balances partition {@code partition}. */
  public void acceptBalance(int partition, BalanceUpdate update) {
    long eventTime = update.getEventTime().toEpochMilli();
    maxEventTimeByPartition.merge(partition, eventTime, Math::max);
    if (update.getAmountCents() < 0 && update.getMerchantId() != null) {
      expected.computeIfAbsent(keyOf(update), k -> new Sum()).add(-update.getAmountCents());
      debitsById.put(idOf(update), update);
    }
  }

  public void acceptWindow(MerchantRevenue window) {
    windows
        .computeIfAbsent(
            new WindowKey(
                window.getMerchantId(),
                window.getCurrency(),
                window.getWindowStart().toEpochMilli()),
            k -> new ArrayList<>())
        .add(window);
  }

  public void acceptLate(BalanceUpdate late) {
    lateRecords++;
    String id = idOf(late);
    BalanceUpdate debit = debitsById.get(id);
    if (debit == null || !debit.equals(late)) {
      mismatchedLate++;
      example(
          "late record "
              + id
              + (debit == null
                  ? " is not a merchant debit in the balances"
                  : " differs from its balance update"));
      return;
    }
    lateCopies.merge(id, 1, Integer::sum);
  }

  /**
   * @param drained the job was stopped with --drain, so every window must have fired
   */
  public RevenueCounts counts(boolean drained) {
    Map<WindowKey, Sum> late = new HashMap<>();
    long duplicated = 0;
    for (Map.Entry<String, Integer> copies : lateCopies.entrySet()) {
      duplicated += copies.getValue() - 1;
      BalanceUpdate debit = debitsById.get(copies.getKey());
      late.computeIfAbsent(keyOf(debit), k -> new Sum()).add(-debit.getAmountCents());
    }
    long watermark = estimatedWatermark();
    long found = 0;
    long lost = 0;
    long pending = 0;
    long mismatched = mismatchedLate;
    for (Map.Entry<WindowKey, Sum> window : expected.entrySet()) {
      WindowKey key = window.getKey();
      List<MerchantRevenue> emitted = windows.getOrDefault(key, List.of());
      Sum lateSum = late.getOrDefault(key, new Sum());
      if (!emitted.isEmpty()) {
        found++;
        duplicated += emitted.size() - 1;
        MerchantRevenue first = emitted.get(0);
        boolean exact =
            first.getTotalCents() + lateSum.cents == window.getValue().cents
                && first.getCount() + lateSum.count == window.getValue().count
                && first.getWindowEnd().toEpochMilli() == key.start() + windowMillis;
        if (!exact) {
          mismatched++;
          example(
              key
                  + ": window "
                  + first.getTotalCents()
                  + " + late "
                  + lateSum.cents
                  + " != debits "
                  + window.getValue().cents);
        }
      } else if (lateSum.count == window.getValue().count
          && lateSum.cents == window.getValue().cents) {
        found++; // every debit of this window arrived late: no window record, nothing missing
      } else if (!drained && key.start() + windowMillis - 1 > watermark) {
        pending++;
      } else {
        lost++;
        example(
            key
                + ": no window record ("
                + window.getValue().count
                + " debits, "
                + lateSum.count
                + " late)");
      }
    }
    for (WindowKey key : windows.keySet()) {
      if (!expected.containsKey(key)) {
        mismatched += windows.get(key).size();
        example(key + ": window record without any debit in the balances");
      }
    }
    return new RevenueCounts(
        expected.size(),
        found,
        lateRecords,
        lost,
        duplicated,
        mismatched,
        pending,
        debitsById.size(),
        examples);
  }

  /** Flink's watermark for these balances: min over partitions of (max event time - bound - 1). */
  long estimatedWatermark() {
    return maxEventTimeByPartition.values().stream()
            .mapToLong(Long::longValue)
            .min()
            .orElse(Long.MIN_VALUE)
        - outOfOrdernessMillis
        - 1;
  }

  private WindowKey keyOf(BalanceUpdate debit) {
    long eventTime = debit.getEventTime().toEpochMilli();
    return new WindowKey(
        debit.getMerchantId(),
        debit.getCurrency(),
        eventTime - Math.floorMod(eventTime, windowMillis));
  }

  private static String idOf(BalanceUpdate update) {
    return update.getAccountId() + "/" + update.getTxnId();
  }

  private void example(String text) {
    if (examples.size() < 5) {
      examples.add(text);
    }
  }

  /**
   * @param expectedWindows windows that hold at least one merchant debit
   * @param found of those, accounted for by a window record and/or late records
   * @param lateRecords late records read
   * @param lost windows the watermark has passed with neither a record nor all their debits late
   * @param duplicated extra copies of window records and late records
   * @param mismatched window totals that do not add up, records that match no debit
   * @param pending windows the job cannot have fired yet
   * @param merchantDebits merchant debits in the balance updates
   */
  public record RevenueCounts(
      long expectedWindows,
      long found,
      long lateRecords,
      long lost,
      long duplicated,
      long mismatched,
      long pending,
      long merchantDebits,
      List<String> examples) {
    public RevenueCounts {
      examples = List.copyOf(examples);
    }

    public boolean clean() {
      return lost == 0 && duplicated == 0 && mismatched == 0;
    }

    public String toText() {
      StringBuilder text =
          new StringBuilder(
              String.format(
                  "revenue: %d merchant debits in %d windows: %d accounted for (%d late debits), %d"
                      + " pending, %d lost, %d duplicated, %d mismatched%n",
                  merchantDebits,
                  expectedWindows,
                  found,
                  lateRecords,
                  pending,
                  lost,
                  duplicated,
                  mismatched));
      examples.forEach(
          example -> text.append("  e.g. ").append(example).append(System.lineSeparator()));
      text.append(clean() ? "REVENUE CLEAN" : "REVENUE FAILED").append(System.lineSeparator());
      return text.toString();
    }
  }
}
