/**
 * A real Kafka for tests and the demo, without Docker where there is none.
 *
 * <ul>
 *   <li>{@link tally.kafka.local.KafkaClusters#start()}: the provider chosen by {@link
 *       tally.kafka.local.ProviderSelection} ({@code -Dtally.kafka.provider} / {@code
 *       TALLY_KAFKA_PROVIDER} = {@code auto} | {@code embedded} | {@code testcontainers}).
 *   <li>{@link tally.kafka.local.EmbeddedKafkaBroker}: a KRaft broker in a child JVM built from the
 *       classpath; can be killed and restarted for crash tests.
 *   <li>{@link tally.kafka.local.ContainerKafkaCluster}: Testcontainers' {@code apache/kafka}
 *       image.
 *   <li>{@link tally.kafka.local.KafkaClusterExtension}: one cluster per JUnit 5 test class.
 * </ul>
 *
 * Every provider applies {@link tally.kafka.local.SingleBrokerDefaults}, which transactional
 * producers on a one-broker cluster need.
 *
 * <p>The embedded broker also has a secured mode ({@link tally.kafka.local.BrokerSecurity}):
 * SASL_SSL with SCRAM-SHA-512, or mutual TLS; TLS certificates generated at start-up,
 * deny-by-default ACLs with {@code StandardAuthorizer}, and a ready client properties file per
 * principal ({@link tally.kafka.local.KafkaCluster#clientPropertiesFile(String)}). The class
 * comment of {@link tally.kafka.local.EmbeddedKafkaBroker} says what each setting is for. Clients
 * that should work on both kinds of cluster take their settings from {@link
 * tally.kafka.local.KafkaCluster#clientProperties(String)}.
 */
package tally.kafka.local;
