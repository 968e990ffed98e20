package tally.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tally.connectors.kafka.OutboundRecordSerializer.Timestamps;

class OutboundRecordSerializerTest {
  private static final long EVENT_TIME_LAST_JANUARY = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private final OutboundRecord record =
      OutboundRecord.keyedByString("out", "acct-1", "v".getBytes(StandardCharsets.UTF_8))
          .withHeaders(new String[] {"h"}, new byte[][] {"x".getBytes(StandardCharsets.UTF_8)});

  @Test
  void keepsTheRecordTimestampWhenAskedTo() {
    ProducerRecord<byte[], byte[]> out =
        new OutboundRecordSerializer(List.of("out"), Timestamps.FROM_RECORD)
            .serialize(record, null, 42L);

    assertThat(out.timestamp()).isEqualTo(42L);
    assertThat(out.topic()).isEqualTo("out");
    assertThat(new String(out.key(), StandardCharsets.UTF_8)).isEqualTo("acct-1");
    assertThat(out.headers().lastHeader("h").value()).containsExactly('x');
  }

  @Test
  void leavesTheTimestampToTheProducerForEventTimeOutputs() {
    // An event-time timestamp would let time retention delete the committed record right away.
    ProducerRecord<byte[], byte[]> out =
        new OutboundRecordSerializer(List.of("out"), Timestamps.WRITE_TIME)
            .serialize(record, null, EVENT_TIME_LAST_JANUARY);

    assertThat(out.timestamp()).isNull();
  }
}
