package tally.jobs.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tally.schemas.BalanceUpdate;
import tally.schemas.MerchantRevenue;

/** Window firing and lateness of {@link RevenueWindows}, driven by explicit watermarks. */
class RevenueWindowsTest {
  private static final long MINUTE = 60_000;
  private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

  private KeyedOneInputStreamOperatorTestHarness<
          Tuple2<String, String>, BalanceUpdate, MerchantRevenue>
      harness;
  private int seq;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new RevenueWindows(Duration.ofMinutes(1))),
            b -> Tuple2.of(b.getMerchantId(), b.getCurrency()),
            Types.TUPLE(Types.STRING, Types.STRING));
    harness.open();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private void debit(String merchant, String currency, long cents, long eventTime)
      throws Exception {
    seq++;
    harness.processElement(
        new StreamRecord<>(
            BalanceUpdate.newBuilder()
                .setAccountId("acct-" + seq)
                .setTxnId("t" + seq)
                .setAmountCents(-cents)
                .setCurrency(currency)
                .setMerchantId(merchant)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setBalanceCents(0)
                .setSeq(1)
                .build(),
            eventTime));
  }

  private List<MerchantRevenue> windows() {
    return harness.extractOutputValues();
  }

  private List<BalanceUpdate> late() {
    var late = harness.getSideOutput(RevenueWindows.LATE);
    return late == null ? List.of() : late.stream().map(StreamRecord::getValue).toList();
  }

  @Test
  void firesEachWindowOnceWhenTheWatermarkPassesItsEnd() throws Exception {
    debit("m1", "EUR", 100, T0 + 1_000);
    debit("m1", "EUR", 250, T0 + 59_999);
    debit("m1", "USD", 40, T0 + 2_000); // other currency: its own window
    debit("m1", "EUR", 7, T0 + MINUTE); // next window
    harness.processWatermark(new Watermark(T0 + MINUTE - 2));
    assertThat(windows()).isEmpty();

    harness.processWatermark(new Watermark(T0 + MINUTE - 1));
    assertThat(windows())
        .extracting(
            MerchantRevenue::getCurrency, MerchantRevenue::getTotalCents, MerchantRevenue::getCount)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("EUR", 350L, 2L),
            org.assertj.core.groups.Tuple.tuple("USD", 40L, 1L));
    MerchantRevenue eur =
        windows().stream().filter(w -> w.getCurrency().equals("EUR")).findFirst().orElseThrow();
    assertThat(eur.getWindowStart().toEpochMilli()).isEqualTo(T0);
    assertThat(eur.getWindowEnd().toEpochMilli()).isEqualTo(T0 + MINUTE);

    harness.processWatermark(new Watermark(T0 + 10 * MINUTE));
    assertThat(windows()).hasSize(3);
    assertThat(late()).isEmpty();
  }

  @Test
  void countsOutOfOrderDebitsWhoseWindowIsStillOpen() throws Exception {
    debit("m1", "EUR", 100, T0 + 50_000);
    harness.processWatermark(new Watermark(T0 + 45_000)); // bounded out-of-orderness: 5 s behind
    debit("m1", "EUR", 30, T0 + 10_000); // earlier event, window not fired yet
    harness.processWatermark(new Watermark(T0 + MINUTE));

    assertThat(windows())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.getTotalCents()).isEqualTo(130);
              assertThat(w.getCount()).isEqualTo(2);
            });
    assertThat(late()).isEmpty();
  }

  @Test
  void sendsADebitForAFiredWindowToTheLateOutputAndNeverReopensIt() throws Exception {
    debit("m1", "EUR", 100, T0 + 1_000);
    harness.processWatermark(new Watermark(T0 + MINUTE + 5_000));
    debit("m1", "EUR", 55, T0 + 30_000); // its window fired already

    assertThat(windows())
        .singleElement()
        .extracting(MerchantRevenue::getTotalCents)
        .isEqualTo(100L);
    assertThat(late()).singleElement().extracting(BalanceUpdate::getAmountCents).isEqualTo(-55L);

    harness.processWatermark(new Watermark(T0 + 10 * MINUTE));
    assertThat(windows()).hasSize(1);
  }

  @Test
  void aWindowFiredBeforeARestoreStaysClosedAfterIt() throws Exception {
    debit("m1", "EUR", 100, T0 + 1_000);
    harness.processWatermark(new Watermark(T0 + MINUTE + 5_000)); // window 0 fires
    var snapshot = harness.snapshot(1L, 1L);
    harness.close();

    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new RevenueWindows(Duration.ofMinutes(1))),
            b -> Tuple2.of(b.getMerchantId(), b.getCurrency()),
            Types.TUPLE(Types.STRING, Types.STRING));
    harness.initializeState(snapshot);
    harness.open(); // the watermark starts from nothing again
    debit("m1", "EUR", 55, T0 + 30_000); // replayed after the restore: its window fired already
    harness.processWatermark(new Watermark(T0 + 10 * MINUTE));

    assertThat(windows()).as("no second record for window 0").isEmpty();
    assertThat(late()).singleElement().extracting(BalanceUpdate::getAmountCents).isEqualTo(-55L);
  }

  @Test
  void openWindowsSurviveSnapshotAndRestore() throws Exception {
    debit("m1", "EUR", 100, T0 + 1_000);
    var snapshot = harness.snapshot(1L, 1L);
    harness.close();

    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new RevenueWindows(Duration.ofMinutes(1))),
            b -> Tuple2.of(b.getMerchantId(), b.getCurrency()),
            Types.TUPLE(Types.STRING, Types.STRING));
    harness.initializeState(snapshot);
    harness.open();
    debit("m1", "EUR", 11, T0 + 2_000);
    harness.processWatermark(new Watermark(T0 + MINUTE));

    assertThat(windows())
        .singleElement()
        .extracting(MerchantRevenue::getTotalCents)
        .isEqualTo(111L);
  }
}
