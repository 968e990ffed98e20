package tally.jobs.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.ManualClock;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.Test;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.kafka.KafkaInputRecord;
import tally.schemas.BalanceUpdate;

/** The revenue source's event time: from the record, bounded out-of-orderness, idle partitions. */
class RevenueWatermarksTest {
  private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  private final ManualClock clock =
      new ManualClock(Duration.ofHours(1).toNanos()); // 0 means "unset" to the idleness timer
  private final WatermarkStrategy<KafkaInputRecord> strategy =
      RevenueTopology.watermarks(Duration.ofSeconds(5), Duration.ofSeconds(30));

  private final WatermarkGeneratorSupplier.Context context =
      new WatermarkGeneratorSupplier.Context() {
        @Override
        public MetricGroup getMetricGroup() {
          return new UnregisteredMetricsGroup();
        }

        @Override
        public RelativeClock getInputActivityClock() {
          return clock;
        }
      };

  private static KafkaInputRecord balance(long eventTime) {
    byte[] value =
        AvroSingleObjectSerde.forType(BalanceUpdate.class)
            .encode(
                BalanceUpdate.newBuilder()
                    .setAccountId("a")
                    .setTxnId("t")
                    .setAmountCents(-1)
                    .setCurrency("EUR")
                    .setMerchantId("m")
                    .setEventTime(Instant.ofEpochMilli(eventTime))
                    .setBalanceCents(-1)
                    .setSeq(1)
                    .build());
    return new KafkaInputRecord(null, value, "tally.balances", 0, 0, 42L);
  }

  @Test
  void timestampsComeFromTheEventTimeField() {
    var assigner =
        strategy.createTimestampAssigner(
            new TimestampAssignerSupplier.Context() {
              @Override
              public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
              }
            });
    assertThat(assigner.extractTimestamp(balance(T0 + 123), 42L)).isEqualTo(T0 + 123);
    assertThat(
            assigner.extractTimestamp(
                new KafkaInputRecord(null, new byte[] {1}, "t", 0, 0, 42L), 42L))
        .as("undecodable: the Kafka timestamp, the record is dead-lettered next")
        .isEqualTo(42L);
  }

  @Test
  void watermarkTrailsTheHighestEventTimeByTheBoundAndAnIdlePartitionStepsAside() {
    WatermarkGenerator<KafkaInputRecord> generator = strategy.createWatermarkGenerator(context);
    Recording output = new Recording();

    generator.onEvent(balance(T0 + 10_000), T0 + 10_000, output);
    generator.onEvent(balance(T0 + 8_000), T0 + 8_000, output);
    generator.onPeriodicEmit(output);
    assertThat(output.watermarks).last().isEqualTo(T0 + 10_000 - 5_000 - 1);
    assertThat(output.idle).isFalse();

    generator.onPeriodicEmit(
        output); // the next periodic check (every 200 ms) starts the idle clock
    clock.advanceTime(Duration.ofSeconds(29));
    generator.onPeriodicEmit(output);
    assertThat(output.idle).isFalse();
    clock.advanceTime(Duration.ofSeconds(2));
    generator.onPeriodicEmit(output);
    assertThat(output.idle).as("no records for longer than the idleness: marked idle").isTrue();
  }

  private static final class Recording implements WatermarkOutput {
    final List<Long> watermarks = new ArrayList<>();
    boolean idle;

    @Override
    public void emitWatermark(Watermark watermark) {
      watermarks.add(watermark.getTimestamp());
      idle = false;
    }

    @Override
    public void markIdle() {
      idle = true;
    }

    @Override
    public void markActive() {
      idle = false;
    }
  }
}
