package tally.kafka.local;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a test or the demo needs from a cluster, whichever provider runs it.
 * Broker properties override {@link SingleBrokerDefaults}.
 */
public final class KafkaClusterOptions {

    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, String> brokerProperties;
    private final Duration startupTimeout;

    private KafkaClusterOptions(Builder builder) {
        this.brokerProperties = Collections.unmodifiableMap(new LinkedHashMap<>(builder.brokerProperties));
        this.startupTimeout = builder.startupTimeout;
    }

    public static KafkaClusterOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Overrides only; {@link #effectiveBrokerProperties()} adds the defaults. */
    public Map<String, String> brokerProperties() {
        return brokerProperties;
    }

    /** {@link SingleBrokerDefaults} with this options' overrides applied. */
    public Map<String, String> effectiveBrokerProperties() {
        Map<String, String> effective = SingleBrokerDefaults.properties();
        effective.putAll(brokerProperties);
        return effective;
    }

    public Duration startupTimeout() {
        return startupTimeout;
    }

    public static final class Builder {
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

        private Builder() {
        }

        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Partitions of {@code __transaction_state} (default 1: fast {@code initTransactions()}). */
        public Builder transactionStateLogPartitions(int partitions) {
            return brokerProperty(SingleBrokerDefaults.TRANSACTION_STATE_LOG_PARTITIONS, Integer.toString(partitions));
        }

        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startup timeout must be positive, got " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        public KafkaClusterOptions build() {
            return new KafkaClusterOptions(this);
        }
    }
}
