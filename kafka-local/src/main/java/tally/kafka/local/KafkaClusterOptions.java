package tally.kafka.local;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a test or the demo needs from a cluster, whichever provider runs it. Broker properties
 * override {@link SingleBrokerDefaults}.
 */
public final class KafkaClusterOptions {

  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final Map<String, String> brokerProperties;
  private final Duration startupTimeout;
  private final int preferredPort;
  private final BrokerSecurity security;
  private final List<String> principals;

  private KafkaClusterOptions(Builder builder) {
    this.preferredPort = builder.preferredPort;
    this.security = builder.security;
    this.principals = builder.principals;
    this.brokerProperties =
        Collections.unmodifiableMap(new LinkedHashMap<>(builder.brokerProperties));
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

  /** Port the embedded broker takes when it is free (0: always any free port). */
  public int preferredPort() {
    return preferredPort;
  }

  /**
   * How clients connect and authenticate; default {@link BrokerSecurity#PLAINTEXT}. Secured modes:
   * embedded provider only.
   */
  public BrokerSecurity security() {
    return security;
  }

  /**
   * The principals a secured broker creates (credentials or certificates); default {@link
   * BrokerSecurity#DEFAULT_PRINCIPALS}.
   */
  public List<String> principals() {
    return principals;
  }

  public static final class Builder {
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
    private int preferredPort;
    private BrokerSecurity security = BrokerSecurity.PLAINTEXT;
    private List<String> principals = BrokerSecurity.DEFAULT_PRINCIPALS;

    private Builder() {}

    /**
     * The embedded broker listens here if the port is free, else on any free port: the demo prefers
     * Kafka's usual 9092 so other tools find it with their defaults.
     */
    public Builder preferredPort(int port) {
      this.preferredPort = port;
      return this;
    }

    public Builder brokerProperty(String key, String value) {
      brokerProperties.put(
          Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Partitions of {@code __transaction_state} (default 1: fast {@code initTransactions()}). */
    public Builder transactionStateLogPartitions(int partitions) {
      return brokerProperty(
          SingleBrokerDefaults.TRANSACTION_STATE_LOG_PARTITIONS, Integer.toString(partitions));
    }

    public Builder startupTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("startup timeout must be positive, got " + timeout);
      }
      this.startupTimeout = timeout;
      return this;
    }

    /** See {@link EmbeddedKafkaBroker.Builder#security(BrokerSecurity)}. */
    public Builder security(BrokerSecurity security) {
      this.security = Objects.requireNonNull(security, "security");
      return this;
    }

    /** See {@link EmbeddedKafkaBroker.Builder#principals(List)}. */
    public Builder principals(List<String> principals) {
      this.principals = List.copyOf(BrokerSecuritySetup.validatePrincipals(principals));
      return this;
    }

    public KafkaClusterOptions build() {
      return new KafkaClusterOptions(this);
    }
  }
}
