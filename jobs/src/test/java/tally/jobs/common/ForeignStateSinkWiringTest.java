package tally.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.BiConsumer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.SinkTransformation;
import org.junit.jupiter.api.Test;
import tally.connectors.kafka.ExactlyOnceKafkaSink;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerJobOptions;
import tally.jobs.revenue.RevenueJob;
import tally.jobs.revenue.RevenueJobOptions;

/**
 * Both jobs' exactly-once sink is Tally's, and drops foreign pending transactions exactly when the
 * job adopts foreign state (ForeignStateIT runs the ledger's for real), under the same savepoint
 * uid.
 */
class ForeignStateSinkWiringTest {

  @Test
  void theLedgerSinkTakesTheOption() {
    for (Delivery delivery : Delivery.values()) {
      for (boolean allow : List.of(false, true)) {
        LedgerJobOptions options = LedgerJobOptions.defaults();
        options.runtime.delivery = delivery;
        options.foreignState.allowForeignState = allow;
        assertSink(LedgerJob.SINK_UID, options, LedgerJob::defineVerified, delivery, allow);
      }
    }
  }

  @Test
  void theRevenueSinkTakesTheOption() {
    for (Delivery delivery : Delivery.values()) {
      for (boolean allow : List.of(false, true)) {
        RevenueJobOptions options = RevenueJobOptions.defaults();
        options.runtime.delivery = delivery;
        options.foreignState.allowForeignState = allow;
        assertSink(RevenueJob.SINK_UID, options, RevenueJob::defineVerified, delivery, allow);
      }
    }
  }

  private static <O> void assertSink(
      String uid,
      O options,
      BiConsumer<StreamExecutionEnvironment, O> define,
      Delivery delivery,
      boolean allow) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    define.accept(env, options);
    Sink<?> sink = sinkWithUid(env, uid);
    String what = uid + ", " + delivery + ", allow foreign state " + allow;
    if (delivery == Delivery.EXACTLY_ONCE) {
      assertThat(sink).as(what).isInstanceOf(ExactlyOnceKafkaSink.class);
      assertThat(((ExactlyOnceKafkaSink<?>) sink).dropsForeignTransactions())
          .as(what)
          .isEqualTo(allow);
    } else {
      assertThat(sink).as(what).isInstanceOf(KafkaSink.class);
    }
  }

  private static Sink<?> sinkWithUid(StreamExecutionEnvironment env, String uid) {
    for (Transformation<?> transformation : env.getTransformations()) {
      if (transformation instanceof SinkTransformation<?, ?> sink
          && uid.equals(transformation.getUid())) {
        return sink.getSink();
      }
    }
    throw new AssertionError("no sink with uid " + uid);
  }
}
