package tally.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.connectors.kafka.KafkaClientProperties.ClientKind;

class KafkaClientPropertiesTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required"
          + " username=\"ledger\" password=\"s3cret\";";

  @TempDir Path dir;

  private Path file(String... lines) throws Exception {
    Path file = dir.resolve("ledger.properties");
    Files.write(file, List.of(lines), StandardCharsets.ISO_8859_1);
    return file;
  }

  // --- Sources

  @Test
  void overridesApplyAfterTheFileInOrder() throws Exception {
    Path file = file("client.id=from-file", "linger.ms=20");

    KafkaClientProperties props =
        KafkaClientProperties.load(file, List.of("client.id=first", "client.id=second"));

    assertThat(props.asMap())
        .containsOnly(Map.entry("client.id", "second"), Map.entry("linger.ms", "20"));
  }

  @Test
  void valuesMayContainEqualsSignsAndBeEmpty() {
    KafkaClientProperties props =
        KafkaClientProperties.load(
            null, List.of("sasl.jaas.config=" + JAAS, "ssl.endpoint.identification.algorithm="));

    assertThat(props.asMap())
        .containsEntry("sasl.jaas.config", JAAS)
        .containsEntry("ssl.endpoint.identification.algorithm", "");
  }

  @Test
  void refusesMalformedOverrides() {
    assertThatThrownBy(() -> KafkaClientProperties.load(null, List.of("security.protocol")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--kafka-property 'security.protocol' is not KEY=VALUE, e.g. security.protocol=SSL");
    assertThatThrownBy(() -> KafkaClientProperties.load(null, List.of(" =SSL")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--kafka-property ' =SSL' has an empty key; give KEY=VALUE");
  }

  @Test
  void refusesAMissingOrUnreadableFile() {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> KafkaClientProperties.load(missing, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--kafka-properties " + missing + ": no such file");
    assertThatThrownBy(() -> KafkaClientProperties.load(dir, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--kafka-properties " + dir + ": not a readable file");
  }

  @Test
  void refusesAMalformedFile() throws Exception {
    Path file = file("ssl.key.password=\\uZZZZ");
    assertThatThrownBy(() -> KafkaClientProperties.load(file, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--kafka-properties " + file + ": cannot read it: ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void noneAndOf() {
    assertThat(KafkaClientProperties.none().asMap()).isEmpty();
    assertThat(KafkaClientProperties.of(Map.of("linger.ms", "5")).asMap())
        .containsOnly(Map.entry("linger.ms", "5"));
    assertThat(KafkaClientProperties.load(null, null)).isEqualTo(KafkaClientProperties.none());
  }

  @Test
  void isImmutableAndSerializable() throws Exception {
    KafkaClientProperties props = KafkaClientProperties.of(Map.of("linger.ms", "5"));
    assertThatThrownBy(() -> props.asMap().put("acks", "1"))
        .isInstanceOf(UnsupportedOperationException.class);

    KafkaClientProperties copy = roundTrip(props);

    assertThat(copy).isEqualTo(props);
    assertThat(copy.asMap()).isEqualTo(props.asMap());
  }

  // --- Config providers

  @Test
  void configProviderReferencesReachTheClientsUnresolvedAndTheClientsResolveThem()
      throws Exception {
    Path secrets = dir.resolve("secrets.properties");
    Files.writeString(secrets, "password=s3cret\nclientId=ledger-from-file\n");
    String passwordRef = "${file:" + secrets + ":password}";
    String clientIdRef = "${file:" + secrets + ":clientId}";
    KafkaClientProperties props =
        KafkaClientProperties.of(
            Map.of(
                "config.providers",
                "file,env",
                "config.providers.file.class",
                FileConfigProvider.class.getName(),
                "config.providers.env.class",
                EnvVarConfigProvider.class.getName(),
                "client.id",
                clientIdRef,
                "ssl.truststore.password",
                passwordRef));

    // What a Flink source or sink carries to the TaskManagers: the reference, not the secret.
    KafkaClientProperties shipped = roundTrip(props);
    assertThat(shipped.asMap()).containsEntry("ssl.truststore.password", passwordRef);
    Properties config = shipped.clientConfig(ClientKind.TOOL_CONSUMER, Map.of());
    assertThat(config).containsEntry("ssl.truststore.password", passwordRef);

    // Kafka's client configs resolve it (AbstractConfig's constructor applies the providers).
    Map<String, Object> map = new HashMap<>();
    config.forEach((k, v) -> map.put((String) k, v));
    map.put("bootstrap.servers", "localhost:1");
    map.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    map.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    map.put("key.deserializer", ByteArrayDeserializer.class.getName());
    map.put("value.deserializer", ByteArrayDeserializer.class.getName());
    assertThat(new ProducerConfig(map).getPassword("ssl.truststore.password").value())
        .isEqualTo("s3cret");
    assertThat(new AdminClientConfig(map).getString("client.id")).isEqualTo("ledger-from-file");
    assertThat(new ConsumerConfig(map).getString("client.id")).isEqualTo("ledger-from-file");

    // And a real client does too: its metrics carry the resolved client id. (Constructing a
    // consumer does not connect, so the bogus broker address is fine.)
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(map)) {
      assertThat(consumer.metrics().keySet())
          .extracting(MetricName::tags)
          .anySatisfy(tags -> assertThat(tags).containsEntry("client-id", "ledger-from-file"));
    }
  }

  @Test
  void environmentReferencesResolveInTheClients() {
    Optional<Map.Entry<String, String>> variable =
        System.getenv().entrySet().stream()
            .filter(
                e ->
                    e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")
                        && e.getValue().matches("[\\w./:-]+"))
            .findFirst();
    assumeTrue(variable.isPresent(), "no plain environment variable to read");
    String name = variable.get().getKey();
    KafkaClientProperties props =
        KafkaClientProperties.load(
            null,
            List.of(
                "config.providers=env",
                "config.providers.env.class=" + EnvVarConfigProvider.class.getName(),
                "client.id=${env:" + name + "}"));
    Map<String, Object> map = new HashMap<>(props.asMap());
    map.put("bootstrap.servers", "localhost:1");

    assertThat(props.asMap()).containsEntry("client.id", "${env:" + name + "}");
    assertThat(new AdminClientConfig(map).getString("client.id"))
        .isEqualTo(variable.get().getValue());
  }

  // --- Reserved settings

  @Test
  void forClientLeavesOutTheKeysTallySets() {
    KafkaClientProperties props =
        KafkaClientProperties.load(
            null,
            List.of(
                "isolation.level=read_committed",
                "group.id=g",
                "bootstrap.servers=b:9092",
                "fetch.min.bytes=1024"));

    assertThat(props.forClient(ClientKind.SOURCE_CONSUMER)).containsOnlyKeys("fetch.min.bytes");
    assertThat(props.forClient(ClientKind.ADMIN))
        .containsOnlyKeys("isolation.level", "group.id", "fetch.min.bytes");
  }

  @Test
  void aConflictSaysWhatToChange() {
    KafkaClientProperties props =
        KafkaClientProperties.load(null, List.of("isolation.level=read_uncommitted"));

    assertThat(props.conflicts(ClientKind.SOURCE_CONSUMER, Map.of()))
        .containsExactly(
            "--kafka-property isolation.level=read_uncommitted conflicts with Tally, which uses"
                + " isolation.level=read_committed for the job's Kafka source (exactly-once outputs"
                + " are only complete for read_committed readers): remove it");
    assertThat(props.conflicts(ClientKind.ADMIN, Map.of())).isEmpty(); // admins don't read records
  }

  @Test
  void aKeyOnlyTallySetsIsAConflictWhateverItsValue() throws Exception {
    KafkaClientProperties props =
        KafkaClientProperties.load(
            file("transactional.id=mine", "transaction.timeout.ms=60000"), List.of());

    assertThat(props.conflicts(ClientKind.SINK_PRODUCER, Map.of("transaction.timeout.ms", 900000)))
        .containsExactly(
            "transaction.timeout.ms=60000 in "
                + dir.resolve("ledger.properties")
                + " conflicts with Tally, which uses transaction.timeout.ms=900000 for the job's"
                + " Kafka sink (the start-up checks compare it with the checkpoint timings and the"
                + " broker's maximum): use --transaction-timeout instead",
            "transactional.id=mine in "
                + dir.resolve("ledger.properties")
                + " conflicts with Tally, which sets transactional.id itself for the job's Kafka"
                + " sink (each exactly-once producer gets its own transactional.id from"
                + " --transactional-id-prefix): remove it; use --transactional-id-prefix to choose"
                + " the prefix");
  }

  @Test
  void aUserValueEqualToTallysIsFine() {
    KafkaClientProperties props =
        KafkaClientProperties.load(
            null,
            List.of(
                "isolation.level=READ_COMMITTED",
                "enable.auto.commit=false",
                "group.id=ledger",
                "key.deserializer=" + ByteArrayDeserializer.class.getName()));

    assertThat(props.conflicts(ClientKind.SOURCE_CONSUMER, Map.of("group.id", "ledger"))).isEmpty();
    assertThat(props.conflicts(ClientKind.SOURCE_CONSUMER, Map.of("group.id", "other"))).hasSize(1);
  }

  @Test
  void bootstrapServersFromTheFileAreUsedUnlessTheOptionSaysOtherwise() throws Exception {
    KafkaClientProperties props =
        KafkaClientProperties.load(file("bootstrap.servers= broker1:9093 "), List.of());
    String used = props.bootstrapServers().orElse("localhost:9092"); // no --bootstrap-servers given

    assertThat(used).isEqualTo("broker1:9093");
    assertThat(props.conflicts(ClientKind.ADMIN, Map.of("bootstrap.servers", used))).isEmpty();
    assertThat(props.conflicts(ClientKind.ADMIN, Map.of("bootstrap.servers", "other:9092")))
        .singleElement()
        .asString()
        .contains("uses bootstrap.servers=other:9092")
        .endsWith("remove it, or leave out --bootstrap-servers to use it");
    assertThat(KafkaClientProperties.none().bootstrapServers()).isEmpty();
  }

  @Test
  void clientConfigRefusesConflictsAndOtherwiseCombinesUserAndTallySettings() {
    KafkaClientProperties props =
        KafkaClientProperties.load(
            null, List.of("security.protocol=SSL", "acks=1", "enable.idempotence=false"));
    assertThatThrownBy(() -> props.clientConfig(ClientKind.SINK_PRODUCER, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--kafka-property acks=1 conflicts")
        .hasMessageContaining("; --kafka-property enable.idempotence=false conflicts")
        .hasMessageNotContaining("\n");

    KafkaClientProperties ok =
        KafkaClientProperties.load(null, List.of("security.protocol=SSL", "max.poll.records=10"));
    Properties config =
        ok.clientConfig(
            ClientKind.SOURCE_CONSUMER,
            Map.of(
                "bootstrap.servers",
                List.of("a:1", "b:2"),
                "group.id",
                "ledger",
                "key.deserializer",
                ByteArrayDeserializer.class));
    assertThat(config)
        .containsEntry("security.protocol", "SSL")
        .containsEntry("max.poll.records", "10")
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("bootstrap.servers", "a:1,b:2")
        .containsEntry("group.id", "ledger")
        .containsEntry("key.deserializer", ByteArrayDeserializer.class.getName());
    assertThat(config.values()).allMatch(v -> v instanceof String); // Flink's builders need strings
  }

  @Test
  void everyClientGetsTallysTimeoutAndMetadataAgeUnlessTheUserSaysOtherwise() {
    Map<String, String> tally = Map.of("bootstrap.servers", "a:1");
    // Gives up on a silent broker after 5 s (the exactly-once sink: Kafka's 30 s, so that a short
    // outage leaves no stale InitProducerId behind); refreshes its metadata every 3 s.
    Map<String, String> users =
        Map.of("request.timeout.ms", "45000", "metadata.max.age.ms", "300000");
    for (ClientKind kind : ClientKind.values()) {
      Map<String, String> defaults =
          Map.of(
              "request.timeout.ms",
              kind == ClientKind.SINK_PRODUCER ? "30000" : "5000",
              "metadata.max.age.ms",
              "3000");
      defaults.forEach(
          (key, value) ->
              assertThat(KafkaClientProperties.none().clientConfig(kind, tally))
                  .as(kind.description())
                  .containsEntry(key, value));
      users.forEach(
          (key, value) ->
              assertThat(
                      KafkaClientProperties.load(null, List.of(key + "=" + value))
                          .clientConfig(kind, tally))
                  .as(kind.description())
                  .containsEntry(key, value));
    }
  }

  @Test
  void aClientsOwnTunablesBeatTheKindsDefaultsAndTheUserBeatsBoth() {
    Map<String, String> tally = Map.of("bootstrap.servers", "a:1");
    Map<String, Object> tunables = Map.of("request.timeout.ms", 10_000, "linger.ms", 20);
    assertThat(KafkaClientProperties.none().clientConfig(ClientKind.ADMIN, tally, tunables))
        .containsEntry("request.timeout.ms", "10000")
        .containsEntry("metadata.max.age.ms", "3000")
        .containsEntry("linger.ms", "20");
    assertThat(
            KafkaClientProperties.load(null, List.of("request.timeout.ms=45000"))
                .clientConfig(ClientKind.ADMIN, tally, tunables))
        .containsEntry("request.timeout.ms", "45000")
        .containsEntry("linger.ms", "20");
  }

  @Test
  void everyKindReservesItsEssentials() {
    assertThat(ClientKind.SOURCE_CONSUMER.reservedKeys())
        .contains(
            "isolation.level",
            "key.deserializer",
            "value.deserializer",
            "enable.auto.commit",
            "group.id");
    assertThat(ClientKind.SINK_PRODUCER.reservedKeys())
        .contains(
            "transactional.id",
            "transaction.timeout.ms",
            "enable.idempotence",
            "acks",
            "key.serializer",
            "value.serializer");
    assertThat(ClientKind.TOOL_PRODUCER.reservedKeys())
        .contains("key.serializer", "value.serializer", "enable.idempotence");
    assertThat(ClientKind.SINK_PRODUCER.tallyDefaults()).containsEntry("acks", "all");
  }

  // --- Secrets

  @Test
  void redactsPasswordsByKafkaTypeByNameAndByValue() {
    KafkaClientProperties props =
        KafkaClientProperties.of(
            Map.of(
                "sasl.jaas.config", JAAS, // Kafka type PASSWORD
                "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----", // PASSWORD
                "ssl.truststore.password", "changeit", // PASSWORD
                "config.providers.vault.param.token", "hvs.abc", // by name
                "my.plugin.client.secret", "xyz", // by name
                "my.plugin.login.options", "user=a password=b", // by value
                "ssl.key.password",
                    "${file:/etc/tally/secrets.properties:keyPassword}", // a reference
                "security.protocol", "SASL_SSL"));

    assertThat(props.redacted())
        .containsEntry("sasl.jaas.config", "[hidden]")
        .containsEntry("ssl.keystore.key", "[hidden]")
        .containsEntry("ssl.truststore.password", "[hidden]")
        .containsEntry("config.providers.vault.param.token", "[hidden]")
        .containsEntry("my.plugin.client.secret", "[hidden]")
        .containsEntry("my.plugin.login.options", "[hidden]")
        .containsEntry("ssl.key.password", "${file:/etc/tally/secrets.properties:keyPassword}")
        .containsEntry("security.protocol", "SASL_SSL");
    assertThat(props.toString())
        .doesNotContain("s3cret", "PRIVATE KEY", "changeit", "hvs.abc", "xyz", "password=b")
        .contains("security.protocol=SASL_SSL");
  }

  @Test
  void conflictMessagesRedactToo() {
    KafkaClientProperties props = KafkaClientProperties.of(Map.of("group.id", "password=oops"));
    assertThat(props.conflicts(ClientKind.TOOL_CONSUMER, Map.of()))
        .singleElement()
        .asString()
        .startsWith("Kafka property group.id=[hidden] conflicts")
        .doesNotContain("oops");
  }

  // --- Summary

  @Test
  void describeNamesTheKeysNotTheirValues() throws Exception {
    Path file =
        file(
            "security.protocol=SASL_SSL",
            "sasl.mechanism=SCRAM-SHA-512",
            "sasl.jaas.config=" + JAAS,
            "ssl.truststore.location=/etc/tally/truststore.p12",
            "ssl.truststore.password=changeit");

    KafkaClientProperties props = KafkaClientProperties.load(file, List.of("linger.ms=20"));

    assertThat(props.describe())
        .isEqualTo(
            "security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-512, 4 more keys (linger.ms,"
                + " sasl.jaas.config, ssl.truststore.location, ssl.truststore.password) from "
                + file
                + " and --kafka-property");
    assertThat(KafkaClientProperties.none().describe())
        .isEqualTo("no Kafka client properties, security.protocol=PLAINTEXT (default)");
    assertThat(KafkaClientProperties.of(Map.of("linger.ms", "5")).describe())
        .isEqualTo("security.protocol=PLAINTEXT (default), 1 more key (linger.ms)");
  }

  private static KafkaClientProperties roundTrip(KafkaClientProperties props) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(props);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (KafkaClientProperties) in.readObject();
    }
  }

  @Test
  void namesTheSecretsGivenOnTheCommandLine() {
    KafkaClientProperties properties =
        KafkaClientProperties.load(
            null,
            List.of(
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"ledger\" password=\"s3cret\";",
                "ssl.truststore.password=${file:/etc/tally/secrets.properties:truststore}",
                "security.protocol=SASL_SSL"));
    // A config-provider reference names a secret; it is not one.
    assertThat(properties.secretsFromCommandLine()).containsExactly("sasl.jaas.config");
    assertThat(
            KafkaClientProperties.of(Map.of("sasl.jaas.config", "x password=\"y\";"))
                .secretsFromCommandLine())
        .isEmpty();
  }
}
