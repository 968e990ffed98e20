package tally.kafka.local;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which kind of Kafka {@link KafkaClusters} starts; {@link #AUTO} picks one of the others. */
public enum KafkaProvider {
  AUTO,
  EMBEDDED,
  TESTCONTAINERS;

  /** The name used in {@code -Dtally.kafka.provider=...} and {@code TALLY_KAFKA_PROVIDER}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static KafkaProvider parse(String value, String source) {
    for (KafkaProvider provider : values()) {
      if (provider.id().equalsIgnoreCase(value.trim())) {
        return provider;
      }
    }
    throw new IllegalArgumentException(
        source
            + "="
            + value
            + " is not a Kafka provider; use one of "
            + Arrays.stream(values()).map(KafkaProvider::id).collect(Collectors.joining(", ")));
  }
}
