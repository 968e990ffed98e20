package tally.kafka.local;

/**
 * A running Kafka cluster that the caller owns: started by a provider, stopped by {@link #close()}.
 *
 * <p>Get one from {@link KafkaClusters#start()} (chooses embedded or Testcontainers), or start a
 * specific provider directly: {@link EmbeddedKafkaBroker#builder()}, {@link ContainerKafkaCluster#start(KafkaClusterOptions)}.
 */
public interface KafkaCluster extends AutoCloseable {

    /** Value for the clients' {@code bootstrap.servers}, e.g. {@code localhost:40123}. */
    String bootstrapServers();

    /** One line for logs, e.g. {@code embedded KRaft broker 4.2.2 (pid 1234) at localhost:40123}. */
    String describe();

    /** Stops whatever this cluster started. Idempotent; never throws for an already stopped cluster. */
    @Override
    void close();
}
