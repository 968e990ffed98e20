package tally.jobs.revenue;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.deadletter.DecodeAndRoute;
import tally.connectors.deadletter.Decoded;
import tally.connectors.deadletter.RecordValidator;
import tally.connectors.kafka.KafkaInputRecord;
import tally.schemas.BalanceUpdate;
import tally.schemas.MerchantRevenue;

/**
 * The revenue job's processing, independent of I/O: decode balance updates, keep debits with a
 * merchant, sum them per (merchant, currency) in event-time tumbling windows.
 */
public final class RevenueTopology {

  public static final String DECODE_UID = "revenue-decode";
  public static final String WINDOWS_UID = "revenue-windows";

  private static final TypeInformation<Decoded<BalanceUpdate>> DECODED =
      TypeInformation.of(new TypeHint<>() {});

  private RevenueTopology() {}

  /**
   * Timestamps from {@code eventTime}, bounded out-of-orderness, idle partitions not holding back
   * time.
   */
  public static WatermarkStrategy<KafkaInputRecord> watermarks(
      Duration outOfOrderness, Duration idleness) {
    return WatermarkStrategy.<KafkaInputRecord>forBoundedOutOfOrderness(outOfOrderness)
        .withTimestampAssigner(new BalanceEventTime())
        .withIdleness(idleness);
  }

  /**
   * @param balances raw balance-update records carrying event timestamps and watermarks
   */
  public static RevenueOutputs build(DataStream<KafkaInputRecord> balances, Duration window) {
    SingleOutputStreamOperator<Decoded<BalanceUpdate>> decoded =
        balances
            .process(
                new DecodeAndRoute<>(
                    AvroSingleObjectSerde.forType(BalanceUpdate.class),
                    RecordValidator.acceptAll()),
                DECODED)
            .setParallelism(
                balances.getParallelism()) // forward edge: keep partition order and watermarks
            .uid(DECODE_UID)
            .name("Decode balance updates");

    SingleOutputStreamOperator<MerchantRevenue> windows =
        decoded
            .filter(RevenueTopology::isMerchantDebit)
            .name("Merchant debits")
            .map(d -> d.value, TypeInformation.of(BalanceUpdate.class))
            .name("Unwrap")
            .keyBy(RevenueTopology::merchantAndCurrency, Types.TUPLE(Types.STRING, Types.STRING))
            .process(new RevenueWindows(window))
            .uid(WINDOWS_UID)
            .name("Revenue per merchant, currency and window");

    return new RevenueOutputs(
        windows,
        windows.getSideOutput(RevenueWindows.LATE),
        decoded.getSideOutput(DecodeAndRoute.DEAD_LETTERS));
  }

  static boolean isMerchantDebit(Decoded<BalanceUpdate> decoded) {
    return decoded.value.getAmountCents() < 0 && decoded.value.getMerchantId() != null;
  }

  private static Tuple2<String, String> merchantAndCurrency(BalanceUpdate debit) {
    return Tuple2.of(debit.getMerchantId(), debit.getCurrency());
  }
}
