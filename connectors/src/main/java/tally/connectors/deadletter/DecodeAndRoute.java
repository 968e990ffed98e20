package tally.connectors.deadletter;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import tally.connectors.avro.AvroSingleObjectSerde;
import tally.connectors.avro.UndecodableException;
import tally.connectors.kafka.KafkaInputRecord;

/**
 * Decodes raw Kafka records into Avro values and validates them. A record that does not decode goes
 * to {@link #DEAD_LETTERS} as {@code undecodable}, one the validator rejects goes there with the
 * validator's reason; neither fails the job, and both keep their original bytes.
 */
public final class DecodeAndRoute<T extends SpecificRecordBase>
    extends ProcessFunction<KafkaInputRecord, Decoded<T>> {
  private static final long serialVersionUID = 1L;

  public static final String UNDECODABLE = "undecodable";
  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

  private final AvroSingleObjectSerde<T> serde;
  private final RecordValidator<T> validator;
  private transient Counter decoded;
  private transient Counter deadLettered;

  public DecodeAndRoute(AvroSingleObjectSerde<T> serde, RecordValidator<T> validator) {
    this.serde = serde;
    this.validator = validator;
  }

  @Override
  public void open(OpenContext openContext) {
    var metrics = getRuntimeContext().getMetricGroup().addGroup("tally");
    decoded = metrics.counter("decoded");
    deadLettered = metrics.counter("deadLetteredOnDecode");
  }

  @Override
  public void processElement(KafkaInputRecord record, Context ctx, Collector<Decoded<T>> out) {
    T value;
    try {
      value = serde.decode(record.value);
    } catch (UndecodableException e) {
      deadLettered.inc();
      ctx.output(DEAD_LETTERS, DeadLetter.of(record, UNDECODABLE, e.getMessage()));
      return;
    }
    RecordValidator.Rejection rejection = validator.validate(value, record);
    if (rejection != null) {
      deadLettered.inc();
      ctx.output(DEAD_LETTERS, DeadLetter.of(record, rejection.reason(), rejection.detail()));
      return;
    }
    decoded.inc();
    out.collect(new Decoded<>(value, record));
  }
}
