package tally.connectors.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The user's Kafka client configuration (security, TLS, SASL, timeouts, tuning), which every Kafka
 * client Tally creates takes: the job's source and sink, the start-up checks' admin client and the
 * tools' producers and consumers.
 *
 * <p>Values are kept exactly as given. In particular config-provider references such as {@code
 * ${file:/etc/tally/secrets.properties:password}} or {@code ${env:KAFKA_PASSWORD}} (with {@code
 * config.providers}) are not resolved here: each Kafka client resolves them when it is constructed,
 * so the secret itself never travels inside the Flink job graph. (If the JVM sets the system
 * property {@code org.apache.kafka.automatic.config.providers}, it must list the provider classes
 * used.)
 *
 * <p>Some settings belong to Tally ({@link ClientKind#reservedKeys()}); a user value for one of
 * them that differs from Tally's is refused at start-up by {@link #clientConfig} rather than
 * silently dropped or silently applied.
 *
 * <p>Immutable and {@link Serializable}: it is shipped inside Flink sources and sinks.
 */
public final class KafkaClientProperties implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The command-line option naming the properties file (like Kafka tools' --command-config). */
  public static final String FILE_OPTION = "--kafka-properties";

  /** The repeatable command-line option giving one KEY=VALUE, applied after the file. */
  public static final String PROPERTY_OPTION = "--kafka-property";

  static final String HIDDEN = "[hidden]"; // what Kafka's own Password.toString() shows

  /**
   * The exactly-once sink's {@code request.timeout.ms}, Kafka's default: network outages shorter
   * than it leave no stale InitProducerId behind to abort a later transaction (see {@link
   * ClientKind}).
   */
  public static final int REQUEST_TIMEOUT_SINK_MS = 30_000;

  private static final KafkaClientProperties NONE =
      new KafkaClientProperties(new TreeMap<>(), new TreeMap<>());

  /** Keys whose Kafka type is PASSWORD in any client's ConfigDef (sasl.jaas.config, ssl.*). */
  private static final Set<String> PASSWORD_KEYS =
      Stream.of(
              ConsumerConfig.configDef(), ProducerConfig.configDef(), AdminClientConfig.configDef())
          .flatMap(def -> def.configKeys().values().stream())
          .filter(key -> key.type == ConfigDef.Type.PASSWORD)
          .map(key -> key.name)
          .collect(Collectors.toUnmodifiableSet());

  /** Key names that suggest a secret: unknown clients' keys, config-provider parameters. */
  private static final Pattern SECRET_KEY =
      Pattern.compile("password|secret|jaas|token|credential", Pattern.CASE_INSENSITIVE);

  /** An inline JAAS config or similar option string with a secret in it. */
  private static final Pattern SECRET_IN_VALUE =
      Pattern.compile("(password|secret)\\s*=", Pattern.CASE_INSENSITIVE);

  /** A value that is just a config-provider reference: it names the secret, it is not one. */
  private static final Pattern PROVIDER_REFERENCE = Pattern.compile("\\$\\{[^{}]*\\}");

  // TreeMaps: serializable, and sorted for stable log output.
  private final TreeMap<String, String> values;

  /** Where each key's value came from: a file path, {@link #PROPERTY_OPTION}, or "" for of(). */
  private final TreeMap<String, String> origins;

  private KafkaClientProperties(TreeMap<String, String> values, TreeMap<String, String> origins) {
    this.values = values;
    this.origins = origins;
  }

  /** No user properties: Kafka's defaults plus Tally's own settings. */
  public static KafkaClientProperties none() {
    return NONE;
  }

  /** The given properties, e.g. built in code or in tests. */
  public static KafkaClientProperties of(Map<String, String> properties) {
    TreeMap<String, String> values = new TreeMap<>();
    TreeMap<String, String> origins = new TreeMap<>();
    properties.forEach(
        (key, value) -> {
          if (key == null || key.isBlank() || value == null) {
            throw new IllegalArgumentException(
                "Kafka property '" + key + "' needs a non-empty key and a value");
          }
          values.put(key.trim(), value);
          origins.put(key.trim(), "");
        });
    return new KafkaClientProperties(values, origins);
  }

  /**
   * The properties from {@link #FILE_OPTION} (if any), then each {@link #PROPERTY_OPTION} in order;
   * a later value for the same key wins. The file is read the way Kafka tools read {@code
   * --command-config} ({@link Properties#load(InputStream)}, ISO-8859-1 with {@code \}{@code u}
   * escapes), so one file serves both.
   *
   * @param fileOrNull a Java properties file, or null
   * @param keyValues {@code KEY=VALUE} strings, split at the first '=' (values may contain '=');
   *     null means none
   * @throws IllegalArgumentException naming the file or argument, if the file cannot be read or an
   *     argument is not KEY=VALUE with a non-empty key
   */
  public static KafkaClientProperties load(Path fileOrNull, List<String> keyValues) {
    TreeMap<String, String> values = new TreeMap<>();
    TreeMap<String, String> origins = new TreeMap<>();
    if (fileOrNull != null) {
      Properties file = readFile(fileOrNull);
      for (String key : file.stringPropertyNames()) {
        values.put(key, file.getProperty(key));
        origins.put(key, fileOrNull.toString());
      }
    }
    for (String keyValue : keyValues == null ? List.<String>of() : keyValues) {
      int eq = keyValue.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            PROPERTY_OPTION + " '" + keyValue + "' is not KEY=VALUE, e.g. security.protocol=SSL");
      }
      String key = keyValue.substring(0, eq).trim();
      if (key.isEmpty()) {
        throw new IllegalArgumentException(
            PROPERTY_OPTION + " '" + keyValue + "' has an empty key; give KEY=VALUE");
      }
      values.put(key, keyValue.substring(eq + 1));
      origins.put(key, PROPERTY_OPTION);
    }
    return new KafkaClientProperties(values, origins);
  }

  private static Properties readFile(Path file) {
    String prefix = FILE_OPTION + " " + file + ": ";
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(prefix + "no such file");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(prefix + "not a readable file");
    }
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (IOException | IllegalArgumentException e) { // IAE: a malformed \ u escape
      throw new IllegalArgumentException(prefix + "cannot read it: " + e.getMessage(), e);
    }
    return properties;
  }

  /**
   * All user properties, unresolved and unredacted: for building clients only, never for display
   * (see {@link #redacted()}).
   */
  public Map<String, String> asMap() {
    return Collections.unmodifiableSortedMap(values);
  }

  /** {@code bootstrap.servers} from the user's properties, to use when the option is not given. */
  public Optional<String> bootstrapServers() {
    return Optional.ofNullable(values.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG))
        .map(String::trim)
        .filter(s -> !s.isEmpty());
  }

  /** The user's properties for a client of {@code kind}, without the keys Tally sets itself. */
  public Map<String, String> forClient(ClientKind kind) {
    TreeMap<String, String> result = new TreeMap<>(values);
    result.keySet().removeAll(kind.reservedKeys());
    return Collections.unmodifiableSortedMap(result);
  }

  /**
   * One line per user property that would change a setting Tally owns for {@code kind}. A user
   * value equal to Tally's is no conflict.
   *
   * @param tallySettings the values Tally uses for this client (e.g. bootstrap.servers, group.id,
   *     transaction.timeout.ms); they add to and override {@link ClientKind#tallyDefaults()}. A
   *     reserved key with no Tally value here is Tally's alone (e.g. transactional.id).
   */
  public List<String> conflicts(ClientKind kind, Map<String, ?> tallySettings) {
    Map<String, String> tally = tallySettings(kind, tallySettings);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> user : values.entrySet()) {
      String key = user.getKey();
      if (!kind.reservedKeys().contains(key)) {
        continue;
      }
      String tallyValue = tally.get(key);
      if (tallyValue != null && tallyValue.trim().equalsIgnoreCase(user.getValue().trim())) {
        continue; // the same as Tally's: harmless
      }
      ClientKind.Reserved reserved = kind.reserved.get(key);
      String what =
          tallyValue == null
              ? "sets " + key + " itself"
              : "uses " + key + "=" + redact(key, tallyValue);
      problems.add(
          describeSetting(key)
              + " conflicts with Tally, which "
              + what
              + " for "
              + kind.description
              + " ("
              + reserved.why()
              + "): "
              + reserved.fix());
    }
    return problems;
  }

  /**
   * The complete configuration for a client of {@code kind}: the user's properties, then Tally's
   * settings ({@link ClientKind#tallyDefaults()} overridden by {@code tallySettings}). Values are
   * strings (Flink's builders need them so); config-provider references stay unresolved.
   *
   * @throws IllegalArgumentException listing every {@link #conflicts conflict}, if any
   */
  public Properties clientConfig(ClientKind kind, Map<String, ?> tallySettings) {
    return clientConfig(kind, tallySettings, Map.of());
  }

  /**
   * As above, under defaults the user's properties override, the later winning: the kind's {@link
   * ClientKind#recommendedDefaults()}, then this client's {@code tunables} (batching, timeouts,
   * fetch sizes).
   */
  public Properties clientConfig(
      ClientKind kind, Map<String, ?> tallySettings, Map<String, ?> tunables) {
    List<String> problems = conflicts(kind, tallySettings);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    Properties config = new Properties();
    config.putAll(kind.recommendedDefaults());
    tunables.forEach((key, value) -> config.put(key, asString(value)));
    config.putAll(forClient(kind));
    config.putAll(tallySettings(kind, tallySettings));
    return config;
  }

  private static Map<String, String> tallySettings(ClientKind kind, Map<String, ?> overrides) {
    Map<String, String> result = new LinkedHashMap<>(kind.tallyDefaults());
    overrides.forEach((key, value) -> result.put(key, asString(value)));
    return result;
  }

  /** As Kafka would read a typed value: a class by its name, a list comma-separated. */
  private static String asString(Object value) {
    if (value instanceof Class<?> c) {
      return c.getName();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    return String.valueOf(value);
  }

  /** All properties with secret values replaced by {@value #HIDDEN}: for logs and status output. */
  public SortedMap<String, String> redacted() {
    TreeMap<String, String> result = new TreeMap<>();
    values.forEach((key, value) -> result.put(key, redact(key, value)));
    return Collections.unmodifiableSortedMap(result);
  }

  /**
   * The keys given with {@link #PROPERTY_OPTION} whose value holds a secret (not a config-provider
   * reference): a command line shows in {@code ps}, shell history and job submissions.
   */
  public List<String> secretsFromCommandLine() {
    return values.keySet().stream()
        .filter(key -> PROPERTY_OPTION.equals(origins.get(key)))
        .filter(key -> HIDDEN.equals(redact(key, values.get(key))))
        .toList();
  }

  /** {@code value}, or {@value #HIDDEN} if it may be a secret. */
  static String redact(String key, String value) {
    if (PROVIDER_REFERENCE.matcher(value.trim()).matches()) {
      return value; // a reference to the secret, resolved by the client
    }
    boolean secret =
        PASSWORD_KEYS.contains(key)
            || SECRET_KEY.matcher(key).find()
            || SECRET_IN_VALUE.matcher(value).find();
    return secret ? HIDDEN : value;
  }

  /**
   * A one-line summary for start-up logs: security.protocol and sasl.mechanism with their values,
   * the other keys by name only, and where they came from.
   */
  public String describe() {
    String protocolKey = CommonClientConfigs.SECURITY_PROTOCOL_CONFIG;
    List<String> parts = new ArrayList<>();
    parts.add(
        values.containsKey(protocolKey)
            ? protocolKey + "=" + redact(protocolKey, values.get(protocolKey))
            : protocolKey + "=PLAINTEXT (default)");
    if (values.isEmpty()) {
      return "no Kafka client properties, " + parts.get(0);
    }
    String mechanismKey = SaslConfigs.SASL_MECHANISM;
    if (values.containsKey(mechanismKey)) {
      parts.add(mechanismKey + "=" + redact(mechanismKey, values.get(mechanismKey)));
    }
    List<String> others =
        values.keySet().stream()
            .filter(k -> !k.equals(protocolKey) && !k.equals(mechanismKey))
            .toList();
    if (!others.isEmpty()) {
      parts.add(
          others.size()
              + (others.size() == 1 ? " more key (" : " more keys (")
              + String.join(", ", others)
              + ")");
    }
    // Files first, then the command line, as they were applied.
    Set<String> sources = new LinkedHashSet<>();
    origins.values().stream()
        .filter(o -> !o.isEmpty() && !o.equals(PROPERTY_OPTION))
        .forEach(sources::add);
    if (origins.containsValue(PROPERTY_OPTION)) {
      sources.add(PROPERTY_OPTION);
    }
    String summary = String.join(", ", parts);
    return sources.isEmpty() ? summary : summary + " from " + String.join(" and ", sources);
  }

  /** "--kafka-property k=v", "k=v in FILE" or "Kafka property k=v", the value redacted. */
  private String describeSetting(String key) {
    String setting = key + "=" + redact(key, values.get(key));
    String origin = origins.get(key);
    if (origin.equals(PROPERTY_OPTION)) {
      return PROPERTY_OPTION + " " + setting;
    }
    return origin.isEmpty() ? "Kafka property " + setting : setting + " in " + origin;
  }

  /** The redacted properties: safe to log. */
  @Override
  public String toString() {
    return "KafkaClientProperties" + redacted();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KafkaClientProperties other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** The kinds of Kafka client Tally creates, each with the settings Tally owns for it. */
  public enum ClientKind {
    /** The Flink KafkaSource's consumers in the jobs. */
    SOURCE_CONSUMER("the job's Kafka source"),
    /** The Flink KafkaSink's producers in the jobs (exactly-once or at-least-once). */
    SINK_PRODUCER("the job's Kafka sink"),
    /** The admin client of the start-up checks and tools. */
    ADMIN("the admin client"),
    /** Plain producers in the tools (generators, benchmarks). */
    TOOL_PRODUCER("tool producers"),
    /** Plain consumers in the tools (audits, counters, benchmarks). */
    TOOL_CONSUMER("tool consumers");

    /** Why Tally owns a key, Tally's fixed value if it has one, and what the user should do. */
    record Reserved(String tallyDefault, String why, String fix) {}

    private static final String REMOVE = "remove it";

    private final String description;
    private final Map<String, Reserved> reserved = new LinkedHashMap<>();
    private final Map<String, String> recommended = new LinkedHashMap<>();

    ClientKind(String description) {
      this.description = description;
    }

    static {
      for (ClientKind kind : values()) {
        // The file's bootstrap.servers is fine when it is what Tally uses (it is, when
        // --bootstrap-servers is not given); a different --bootstrap-servers is a conflict.
        kind.reserve(
            CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
            null,
            "it connects to the brokers given with --bootstrap-servers",
            "remove it, or leave out --bootstrap-servers to use it");
      }
      for (ClientKind kind : List.of(SOURCE_CONSUMER, TOOL_CONSUMER)) {
        kind.reserve(
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            "exactly-once outputs are only complete for read_committed readers",
            REMOVE);
        kind.reserve(
            ConsumerConfig.GROUP_ID_CONFIG,
            null,
            "it names its consumer groups itself",
            "use --group-id instead");
      }
      SOURCE_CONSUMER.reserve(
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          "false",
          "offsets are committed with Flink checkpoints, which are the source of truth",
          REMOVE);
      SOURCE_CONSUMER.reserve(
          "commit.offsets.on.checkpoint",
          "true",
          "lag monitoring and starts without state rely on the offsets committed at checkpoints",
          REMOVE);
      SOURCE_CONSUMER.reserve(
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
          "earliest",
          "a group without committed offsets starts from the earliest record; the Flink"
              + " connector overrides this setting anyway",
          REMOVE);
      TOOL_CONSUMER.reserve(
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          "false",
          "the tools commit offsets themselves, if at all",
          REMOVE);
      for (String key :
          List.of(
              ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
              ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG)) {
        SOURCE_CONSUMER.reserve(
            key,
            ByteArrayDeserializer.class.getName(),
            "the source decodes records itself; the Flink connector overrides this setting anyway",
            REMOVE);
        TOOL_CONSUMER.reserve(key, null, "each tool decodes records itself", REMOVE);
      }

      // A request to a broker that stopped answering (partitioned, or a leader that was fenced
      // without knowing it and holds produce requests waiting for followers that left) is given
      // up after 5 s, not Kafka's 30 s: the client then reconnects, and its retry goes to the new
      // leader (see the metadata age below). After a network partition healed, a connection kept
      // open otherwise waits for TCP's backed-off retransmission. Measured with partition-broker
      // and partition-kafka (docs/cluster.md). For these clients a retry is harmless: reads,
      // admin requests and an idempotent producer's sends.
      //
      // Not for the exactly-once sink: it keeps Kafka's 30 s (REQUEST_TIMEOUT_SINK_MS). Giving up
      // on a request closes its connection, but the kernel still delivers what was queued once
      // the network heals, possibly after the retry. The sink begins every transaction with an
      // InitProducerId that fences whatever runs under its transactional id; a stale one that
      // lands after its retry aborts the transaction the retry began, and when a completed
      // checkpoint already counted on it, its output is lost without an error (seen in a CI chaos
      // run: a 10 s partition against a 5 s timeout). An outage shorter than the request timeout
      // never leaves a stale request behind.
      //
      // A leader cut off from the other brokers is fenced and replaced within seconds, but it does
      // not know it: it keeps answering its clients as leader and serves fetches that never return
      // new records. A client learns the new leader only from fresh metadata, which Kafka fetches
      // every 5 min unless an error says otherwise: every 3 s, a retry or the next fetch goes to
      // the new leader. The cost is one small request per client every 3 s, for the topics that
      // client uses only.
      for (ClientKind kind : values()) {
        kind.recommend(
            CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG,
            kind == SINK_PRODUCER ? Integer.toString(REQUEST_TIMEOUT_SINK_MS) : "5000");
        kind.recommend(CommonClientConfigs.METADATA_MAX_AGE_CONFIG, "3000");
      }
      SINK_PRODUCER.reserve(
          ProducerConfig.TRANSACTIONAL_ID_CONFIG,
          null,
          "each exactly-once producer gets its own transactional.id from --transactional-id-prefix",
          "remove it; use --transactional-id-prefix to choose the prefix");
      SINK_PRODUCER.reserve(
          ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
          null,
          "the start-up checks compare it with the checkpoint timings and the broker's maximum",
          "use --transaction-timeout instead");
      TOOL_PRODUCER.reserve(
          ProducerConfig.TRANSACTIONAL_ID_CONFIG,
          null,
          "a tool that writes transactionally chooses its own; a shared one fences other instances",
          REMOVE);
      for (ClientKind kind : List.of(SINK_PRODUCER, TOOL_PRODUCER)) {
        kind.reserve(
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            "true",
            "retries must neither duplicate nor reorder records",
            REMOVE);
        kind.reserve(
            ProducerConfig.ACKS_CONFIG,
            "all",
            "a record counts as written only once all in-sync replicas have it",
            REMOVE);
      }
      for (String key :
          List.of(
              ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
              ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)) {
        SINK_PRODUCER.reserve(
            key,
            ByteArraySerializer.class.getName(),
            "the sink encodes records itself; the Flink connector overrides this setting anyway",
            REMOVE);
        TOOL_PRODUCER.reserve(key, null, "each tool encodes records itself", REMOVE);
      }
    }

    private void reserve(String key, String tallyDefault, String why, String fix) {
      reserved.put(key, new Reserved(tallyDefault, why, fix));
    }

    /** A default of Tally's that the user's properties override (unlike a reserved key). */
    private void recommend(String key, String value) {
      recommended.put(key, value);
    }

    /** Tally's defaults that the user's properties override. */
    public Map<String, String> recommendedDefaults() {
      return Collections.unmodifiableMap(recommended);
    }

    /** The keys Tally sets itself for this kind of client. */
    public Set<String> reservedKeys() {
      return Collections.unmodifiableSet(reserved.keySet());
    }

    /** Tally's fixed values among its reserved keys (the others depend on options). */
    public Map<String, String> tallyDefaults() {
      Map<String, String> result = new LinkedHashMap<>();
      reserved.forEach(
          (key, r) -> {
            if (r.tallyDefault() != null) {
              result.put(key, r.tallyDefault());
            }
          });
      return Collections.unmodifiableMap(result);
    }

    /** E.g. "the job's Kafka source", for messages. */
    public String description() {
      return description;
    }
  }
}
