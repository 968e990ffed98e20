package tally.connectors.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.util.function.SerializableFunction;
import tally.connectors.avro.AvroSingleObjectSerde;

/** Encodes an Avro record (single-object encoding) for one topic, keyed by a UTF-8 string. */
public final class AvroToOutbound<T extends SpecificRecordBase>
    implements MapFunction<T, OutboundRecord> {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final AvroSingleObjectSerde<T> serde;
  private final SerializableFunction<T, String> keyOf;

  public AvroToOutbound(
      String topic, AvroSingleObjectSerde<T> serde, SerializableFunction<T, String> keyOf) {
    this.topic = topic;
    this.serde = serde;
    this.keyOf = keyOf;
  }

  @Override
  public OutboundRecord map(T record) {
    return new OutboundRecord(
        topic, keyOf.apply(record).getBytes(StandardCharsets.UTF_8), serde.encode(record));
  }
}
