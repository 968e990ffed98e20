package tally.connectors.kafka;

import java.io.Serializable;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which Kafka a job read: the cluster id and, per input topic, its topic id and partition count.
 * Checkpoints record it (see {@link SourceIdentityGuard}) so a restore can tell the state's Kafka
 * from the live one.
 *
 * <h2>Encoding (stable; {@link #FORMAT} version 1)</h2>
 *
 * One line of space-separated fields, every value {@link URLEncoder URL-encoded} (UTF-8):
 *
 * <pre>
 * tally-kafka-identity/1 cluster=&lt;cluster id&gt; servers=&lt;bootstrap servers&gt; topic=&lt;name&gt;:&lt;topic id&gt;:&lt;partitions&gt; ...
 * </pre>
 *
 * e.g. {@code tally-kafka-identity/1 cluster=MkU3OEVBNTcwNTJENDM2Qk servers=broker-1%3A9092
 * topic=tally.transactions:sP3cZ6mVTxG2o1bOJp5y-w:4}. One {@code topic=} field per topic, sorted by
 * name; the topic id is Kafka's {@code Uuid} in its base64 form ({@code AAAAAAAAAAAAAAAAAAAAAA}
 * when the broker did not report one). {@code servers} is informational only (for messages): a
 * renamed broker address is no other Kafka. Decoders ignore fields they do not know, so later
 * versions may add fields without changing {@link #FORMAT}; a change that older decoders must not
 * read gets a new format name.
 */
public record KafkaIdentity(
    String clusterId, String bootstrapServers, SortedMap<String, Topic> topics)
    implements Serializable {

  /** The format name and version that starts every encoded identity. */
  public static final String FORMAT = "tally-kafka-identity/1";

  /** What Kafka reports when a topic has no id (brokers before topic ids existed). */
  public static final String NO_TOPIC_ID = "AAAAAAAAAAAAAAAAAAAAAA";

  /** One input topic as the job saw it. */
  public record Topic(String name, String topicId, int partitions) implements Serializable {
    public Topic {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(topicId, "topicId");
      if (partitions < 0) {
        throw new IllegalArgumentException("negative partition count for topic " + name);
      }
    }

    boolean hasId() {
      return !topicId.isEmpty() && !topicId.equals(NO_TOPIC_ID);
    }

    /** "topic tally.transactions id sP3cZ6mVTxG2o1bOJp5y-w, 4 partitions". */
    public String describe() {
      return "topic "
          + name
          + (hasId() ? " id " + topicId : " (no topic id)")
          + ", "
          + partitions
          + (partitions == 1 ? " partition" : " partitions");
    }
  }

  public KafkaIdentity {
    Objects.requireNonNull(clusterId, "clusterId");
    bootstrapServers = bootstrapServers == null ? "" : bootstrapServers;
    topics = Collections.unmodifiableSortedMap(new TreeMap<>(topics));
  }

  public static KafkaIdentity of(
      String clusterId, String bootstrapServers, Collection<Topic> topics) {
    TreeMap<String, Topic> byName = new TreeMap<>();
    for (Topic topic : topics) {
      byName.put(topic.name(), topic);
    }
    return new KafkaIdentity(clusterId, bootstrapServers, byName);
  }

  /** This identity with {@code topic} added or replaced. */
  public KafkaIdentity with(Topic topic) {
    TreeMap<String, Topic> updated = new TreeMap<>(topics);
    updated.put(topic.name(), topic);
    return new KafkaIdentity(clusterId, bootstrapServers, updated);
  }

  /** The encoded form described in the class comment. */
  public String encode() {
    StringBuilder line = new StringBuilder(FORMAT);
    line.append(" cluster=").append(enc(clusterId));
    line.append(" servers=").append(enc(bootstrapServers));
    for (Topic topic : topics.values()) {
      line.append(" topic=")
          .append(enc(topic.name()))
          .append(':')
          .append(enc(topic.topicId()))
          .append(':')
          .append(topic.partitions());
    }
    return line.toString();
  }

  /**
   * Reads what {@link #encode()} wrote.
   *
   * @throws IllegalArgumentException for another format or a malformed line
   */
  public static KafkaIdentity decode(String encoded) {
    if (encoded == null || encoded.isBlank()) {
      throw new IllegalArgumentException("empty Kafka identity");
    }
    String[] fields = encoded.strip().split(" +");
    if (!fields[0].equals(FORMAT)) {
      throw new IllegalArgumentException(
          "Kafka identity in format '"
              + fields[0]
              + "', this release reads "
              + FORMAT
              + " (was the state written by a newer Tally?)");
    }
    String clusterId = null;
    String servers = "";
    List<Topic> topics = new ArrayList<>();
    for (int i = 1; i < fields.length; i++) {
      String field = fields[i];
      int eq = field.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("malformed Kafka identity field '" + field + "'");
      }
      String key = field.substring(0, eq);
      String value = field.substring(eq + 1);
      switch (key) {
        case "cluster" -> clusterId = dec(value);
        case "servers" -> servers = dec(value);
        case "topic" -> {
          String[] parts = value.split(":", -1);
          if (parts.length != 3) {
            throw new IllegalArgumentException("malformed Kafka identity topic '" + value + "'");
          }
          try {
            topics.add(new Topic(dec(parts[0]), dec(parts[1]), Integer.parseInt(parts[2])));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed partition count in '" + value + "'", e);
          }
        }
        default -> {
          // a field of a later version of this format: not needed to compare
        }
      }
    }
    if (clusterId == null) {
      throw new IllegalArgumentException("Kafka identity without a cluster id: " + encoded);
    }
    return of(clusterId, servers, topics);
  }

  /**
   * "Kafka cluster MkU3OEVBNTcwNTJENDM2Qk at broker-1:9092 (topic t id X, 4 partitions)", with the
   * topics among {@code names} ({@code names} empty: all).
   */
  public String describe(Collection<String> names) {
    List<String> shown =
        topics.values().stream()
            .filter(t -> names.isEmpty() || names.contains(t.name()))
            .map(Topic::describe)
            .toList();
    return describeCluster() + (shown.isEmpty() ? "" : " (" + String.join("; ", shown) + ")");
  }

  /** "Kafka cluster MkU3OEVBNTcwNTJENDM2Qk at broker-1:9092". */
  public String describeCluster() {
    return "Kafka cluster "
        + clusterId
        + (bootstrapServers.isEmpty() ? "" : " at " + bootstrapServers);
  }

  /**
   * How {@code live} differs from this recorded identity for the topics {@code names}.
   *
   * <p>Conflicts: another cluster id; a topic of the same name with another topic id (deleted and
   * recreated); fewer partitions than recorded (Kafka never removes partitions: recreated too); a
   * recorded topic that no longer exists. Not conflicts: more partitions (the new ones are read
   * from their beginning), and topics this identity does not record (a new input).
   */
  public Comparison compareWith(KafkaIdentity live, Collection<String> names) {
    List<String> conflicts = new ArrayList<>();
    List<String> grown = new ArrayList<>();
    if (!clusterId.equals(live.clusterId)) {
      conflicts.add("the state belongs to another Kafka cluster");
      return new Comparison(conflicts, grown);
    }
    for (String name : names) {
      Topic was = topics.get(name);
      Topic now = live.topics.get(name);
      if (was == null) {
        continue; // not read before: nothing to compare
      }
      if (now == null) {
        conflicts.add("topic " + name + " no longer exists");
      } else if (was.hasId() && now.hasId() && !was.topicId().equals(now.topicId())) {
        conflicts.add(
            "topic "
                + name
                + " was deleted and recreated (id "
                + was.topicId()
                + ", now "
                + now.topicId()
                + ")");
      } else if (now.partitions() < was.partitions()) {
        conflicts.add(
            "topic "
                + name
                + " has fewer partitions than the state recorded ("
                + now.partitions()
                + " < "
                + was.partitions()
                + "): it was deleted and recreated");
      } else if (now.partitions() > was.partitions()) {
        grown.add(
            "topic "
                + name
                + " grew from "
                + was.partitions()
                + " to "
                + now.partitions()
                + " partitions");
      }
    }
    return new Comparison(conflicts, grown);
  }

  /** The outcome of {@link #compareWith}: one-phrase conflicts and accepted changes. */
  public record Comparison(List<String> conflicts, List<String> grown) {
    public Comparison {
      conflicts = List.copyOf(conflicts);
      grown = List.copyOf(grown);
    }

    public boolean matches() {
      return conflicts.isEmpty();
    }
  }

  @Override
  public String toString() {
    return describe(List.of());
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String dec(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}
