package tally.connectors.kafka;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import tally.connectors.kafka.KafkaClientProperties.ClientKind;

/**
 * Where a Kafka is and how to talk to it: the bootstrap servers plus the user's client properties
 * (security, timeouts, ...). Every Kafka client Tally creates, in the jobs and in the tools, is
 * configured from one of these, so a secured cluster works everywhere or nowhere.
 */
public record KafkaConnection(String bootstrapServers, KafkaClientProperties client)
    implements Serializable {

  public KafkaConnection {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(client, "client");
  }

  /** A Kafka without any client settings (the embedded test and demo brokers). */
  public static KafkaConnection to(String bootstrapServers) {
    return new KafkaConnection(bootstrapServers, KafkaClientProperties.none());
  }

  /**
   * The configuration of a client of {@code kind}: the user's properties, then Tally's own
   * settings. A user value that contradicts one of Tally's is refused with a one-line reason.
   */
  public Properties config(ClientKind kind, Map<String, ?> tallySettings) {
    return config(kind, tallySettings, Map.of());
  }

  /**
   * As {@link #config(ClientKind, Map)}, with {@code tunables} (batching, timeouts, fetch sizes)
   * over the kind's recommended defaults and under the user's properties.
   */
  public Properties config(ClientKind kind, Map<String, ?> tallySettings, Map<String, ?> tunables) {
    Map<String, Object> settings = new LinkedHashMap<>(tallySettings);
    settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return client.clientConfig(kind, settings, tunables);
  }

  /** The configuration of an admin client with Tally's {@code tallySettings} (e.g. timeouts). */
  public Properties adminConfig(Map<String, ?> tallySettings) {
    return config(ClientKind.ADMIN, tallySettings);
  }

  public Admin createAdmin(Map<String, ?> tallySettings) {
    return Admin.create(adminConfig(tallySettings));
  }

  /** For start-up lines: the servers and the client settings, secrets hidden. */
  public String describe() {
    return client.asMap().isEmpty()
        ? bootstrapServers
        : bootstrapServers + " (" + client.describe() + ")";
  }

  @Override
  public String toString() {
    return describe();
  }
}
