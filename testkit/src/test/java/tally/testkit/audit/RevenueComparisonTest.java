package tally.testkit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tally.schemas.BalanceUpdate;
import tally.schemas.MerchantRevenue;

class RevenueComparisonTest {
  private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000;
  private RevenueComparison comparison;
  private int n;

  @BeforeEach
  void setUp() {
    comparison = new RevenueComparison(Duration.ofMinutes(1), Duration.ofSeconds(5));
  }

  private BalanceUpdate debit(String merchant, long cents, long eventTime) {
    n++;
    BalanceUpdate debit =
        BalanceUpdate.newBuilder()
            .setAccountId("a" + n)
            .setTxnId("t" + n)
            .setAmountCents(-cents)
            .setCurrency("EUR")
            .setMerchantId(merchant)
            .setEventTime(Instant.ofEpochMilli(eventTime))
            .setBalanceCents(-cents)
            .setSeq(1)
            .build();
    comparison.acceptBalance(0, debit);
    return debit;
  }

  private static MerchantRevenue window(String merchant, long start, long total, long count) {
    return MerchantRevenue.newBuilder()
        .setMerchantId(merchant)
        .setCurrency("EUR")
        .setWindowStart(Instant.ofEpochMilli(start))
        .setWindowEnd(Instant.ofEpochMilli(start + MINUTE))
        .setTotalCents(total)
        .setCount(count)
        .build();
  }

  /**
   * Two debits in window 0, one in window 1, and event time far enough for window 1 to be pending.
   */
  private BalanceUpdate history() {
    debit("m1", 100, T0 + 1_000);
    BalanceUpdate second = debit("m1", 50, T0 + 2_000);
    debit("m1", 7, T0 + MINUTE + 10);
    return second;
  }

  @Test
  void cleanWhenWindowsAndLateDebitsAddUp() {
    BalanceUpdate late = history();
    comparison.acceptWindow(window("m1", T0, 100, 1));
    comparison.acceptLate(late);

    var counts = comparison.counts(false);
    assertThat(counts.clean()).isTrue();
    assertThat(counts.found()).isEqualTo(1);
    assertThat(counts.pending()).isEqualTo(1);
    assertThat(counts.merchantDebits()).isEqualTo(3);
  }

  @Test
  void aDrainedJobMayLeaveNothingPending() {
    history();
    comparison.acceptWindow(window("m1", T0, 150, 2));
    assertThat(comparison.counts(true).lost()).isEqualTo(1);
    comparison.acceptWindow(window("m1", T0 + MINUTE, 7, 1));
    assertThat(comparison.counts(true).clean()).isTrue();
  }

  @Test
  void aMissingWindowTheWatermarkHasPassedIsLost() {
    history();
    debit("m2", 1, T0 + 10 * MINUTE); // moves the watermark past both windows
    var counts = comparison.counts(false);
    assertThat(counts.lost()).isEqualTo(2);
    assertThat(counts.clean()).isFalse();
  }

  @Test
  void duplicatesAndWrongTotalsAreCaught() {
    BalanceUpdate late = history();
    comparison.acceptWindow(window("m1", T0, 100, 1));
    comparison.acceptLate(late);
    comparison.acceptLate(late);
    assertThat(comparison.counts(false).duplicated()).isEqualTo(1);

    setUp();
    history();
    comparison.acceptWindow(window("m1", T0, 149, 2));
    assertThat(comparison.counts(false).mismatched()).isEqualTo(1);

    setUp();
    history();
    comparison.acceptWindow(window("m1", T0, 150, 2));
    comparison.acceptWindow(window("m1", T0, 150, 2));
    comparison.acceptWindow(window("m9", T0, 1, 1));
    var counts = comparison.counts(false);
    assertThat(counts.duplicated()).isEqualTo(1);
    assertThat(counts.mismatched()).isEqualTo(1);
  }

  @Test
  void creditsAndDebitsWithoutMerchantAreNotRevenue() {
    comparison.acceptBalance(
        0,
        BalanceUpdate.newBuilder()
            .setAccountId("a")
            .setTxnId("t")
            .setAmountCents(500)
            .setCurrency("EUR")
            .setMerchantId(null)
            .setEventTime(Instant.ofEpochMilli(T0))
            .setBalanceCents(500)
            .setSeq(1)
            .build());
    assertThat(comparison.counts(true).expectedWindows()).isZero();
  }
}
