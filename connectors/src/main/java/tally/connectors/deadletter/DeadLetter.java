package tally.connectors.deadletter;

import java.nio.charset.StandardCharsets;
import tally.connectors.kafka.KafkaInputRecord;
import tally.connectors.kafka.OutboundRecord;

/**
 * A record the job could not use, with the reason. It keeps the original key and value bytes
 * unchanged and where they came from, so nothing is lost and the record can be replayed once fixed.
 * A Flink POJO.
 */
public class DeadLetter {
  /** Header with the short reason code (e.g. {@code undecodable}). */
  public static final String ERROR_HEADER = "tally.error";

  /** Header with a human sentence: what is wrong, naming the field. */
  public static final String ERROR_DETAIL_HEADER = "tally.error.detail";

  public static final String SOURCE_TOPIC_HEADER = "tally.source.topic";
  public static final String SOURCE_PARTITION_HEADER = "tally.source.partition";
  public static final String SOURCE_OFFSET_HEADER = "tally.source.offset";

  public byte[] key;
  public byte[] value;
  public String reason;
  public String detail;
  public String sourceTopic;
  public int sourcePartition;
  public long sourceOffset;

  public DeadLetter() {}

  public static DeadLetter of(KafkaInputRecord source, String reason, String detail) {
    DeadLetter letter = new DeadLetter();
    letter.key = source.key;
    letter.value = source.value;
    letter.reason = reason;
    letter.detail = detail;
    letter.sourceTopic = source.topic;
    letter.sourcePartition = source.partition;
    letter.sourceOffset = source.offset;
    return letter;
  }

  /** The dead-letter topic record: original key and value, reason and origin as headers. */
  public OutboundRecord toOutbound(String deadLetterTopic) {
    return new OutboundRecord(deadLetterTopic, key, value)
        .withHeaders(
            new String[] {
              ERROR_HEADER,
              ERROR_DETAIL_HEADER,
              SOURCE_TOPIC_HEADER,
              SOURCE_PARTITION_HEADER,
              SOURCE_OFFSET_HEADER
            },
            new byte[][] {
              utf8(reason),
              utf8(detail),
              utf8(sourceTopic),
              utf8(Integer.toString(sourcePartition)),
              utf8(Long.toString(sourceOffset))
            });
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return reason
        + " at "
        + sourceTopic
        + "-"
        + sourcePartition
        + "@"
        + sourceOffset
        + ": "
        + detail;
  }
}
