package tally.jobs.revenue;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import tally.schemas.BalanceUpdate;
import tally.schemas.MerchantRevenue;

/**
 * Event-time tumbling windows of one merchant's debits in one currency (the key). A window is
 * written once, when the watermark passes its end; a debit that arrives after that goes to {@link
 * #LATE} instead of being dropped or re-opening the window, so windows plus late debits account for
 * every debit exactly once.
 *
 * <p>A process function rather than Flink's window operator so the firing and lateness rules are
 * explicit and testable with the keyed harness; state is one (total, count) per open window and the
 * end of the newest fired window, so lateness is decided by checkpointed state, not only by the
 * watermark (which restarts from nothing after a restore).
 */
public class RevenueWindows
    extends KeyedProcessFunction<Tuple2<String, String>, BalanceUpdate, MerchantRevenue> {
  private static final long serialVersionUID = 1L;

  public static final OutputTag<BalanceUpdate> LATE = new OutputTag<>("late-debits") {};

  private final long windowMillis;
  private transient MapState<Long, Tuple2<Long, Long>> openWindows; // start -> (totalCents, count)
  // End of the newest window fired for this key. Watermarks are not part of checkpoints: after a
  // restore the watermark starts from scratch, and without this a replayed debit of a window that
  // fired (and was committed) before the checkpoint would open that window a second time.
  private transient ValueState<Long> firedUntil;
  private transient Counter windowsFired;
  private transient Counter lateDebits;

  public RevenueWindows(Duration window) {
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("window must be positive, was " + window);
    }
    this.windowMillis = window.toMillis();
  }

  @Override
  public void open(OpenContext context) {
    openWindows =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "open-windows", Types.LONG, Types.TUPLE(Types.LONG, Types.LONG)));
    firedUntil =
        getRuntimeContext().getState(new ValueStateDescriptor<>("fired-until", Types.LONG));
    var metrics = getRuntimeContext().getMetricGroup().addGroup("tally");
    windowsFired = metrics.counter("windowsFired");
    lateDebits = metrics.counter("lateDebits");
  }

  @Override
  public void processElement(BalanceUpdate debit, Context ctx, Collector<MerchantRevenue> out)
      throws Exception {
    long timestamp = ctx.timestamp();
    long start = timestamp - Math.floorMod(timestamp, windowMillis);
    long lastMillis = start + windowMillis - 1;
    Long fired = firedUntil.value();
    if (lastMillis <= ctx.timerService().currentWatermark() || (fired != null && start < fired)) {
      lateDebits.inc();
      ctx.output(LATE, debit); // its window has fired already
      return;
    }
    Tuple2<Long, Long> acc = openWindows.get(start);
    if (acc == null) {
      acc = Tuple2.of(0L, 0L);
      ctx.timerService().registerEventTimeTimer(lastMillis);
    }
    acc.f0 += -debit.getAmountCents();
    acc.f1 += 1;
    openWindows.put(start, acc);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<MerchantRevenue> out)
      throws Exception {
    long start = timestamp + 1 - windowMillis;
    Tuple2<Long, Long> acc = openWindows.get(start);
    if (acc == null) {
      return;
    }
    openWindows.remove(start);
    Long fired = firedUntil.value();
    firedUntil.update(fired == null ? start + windowMillis : Math.max(fired, start + windowMillis));
    windowsFired.inc();
    out.collect(
        MerchantRevenue.newBuilder()
            .setMerchantId(ctx.getCurrentKey().f0)
            .setCurrency(ctx.getCurrentKey().f1)
            .setWindowStart(java.time.Instant.ofEpochMilli(start))
            .setWindowEnd(java.time.Instant.ofEpochMilli(start + windowMillis))
            .setTotalCents(acc.f0)
            .setCount(acc.f1)
            .build());
  }
}
