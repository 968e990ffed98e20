package tally.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.connector.kafka.sink.internal.FlinkKafkaInternalProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import tally.cluster.SystemCommand;
import tally.connectors.kafka.KafkaClientProperties;
import tally.connectors.kafka.KafkaClientProperties.ClientKind;
import tally.connectors.kafka.KafkaConnection;
import tally.support.Deadline;

/**
 * Run inside a network namespace (as root, with nftables): what the exactly-once sink's producer
 * does at a checkpoint, across a network cut. It begins each transaction with an InitProducerId on
 * a producer whose connection to the transaction coordinator is already open (the connector
 * recycles producers); the cut drops that request. A client that gives up on it (its {@code
 * request.timeout.ms} is shorter than the cut) closes the connection and retries on a new one; the
 * kernel still holds the first request and delivers it once the link is back. This probe lets the
 * retry through first and the stranded request after it, as TCP's backed-off retransmission often
 * does by itself, then tries to commit the transaction the retry began.
 *
 * <p>Prints {@code COMMITTED} or {@code ABORTED: <exception>} and exits 0; any other exit is a
 * failure of the probe itself.
 *
 * <p>Arguments: bootstrap servers, topic, cut seconds, and optionally {@code request.timeout.ms=N}
 * as the user's client property (without it: Tally's defaults for the sink).
 */
public final class StrandedInitProbe {
  private static final String TABLE = "tally_stranded_init_probe";

  private StrandedInitProbe() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    Duration cut = Duration.ofSeconds(Long.parseLong(args[2]));
    List<String> userProperties = args.length > 3 ? List.of(args[3]) : List.of();
    Set<String> brokers = new TreeSet<>();
    for (String server : bootstrap.split(",")) {
      brokers.add(server.substring(0, server.lastIndexOf(':')));
    }
    KafkaConnection kafka =
        new KafkaConnection(bootstrap, KafkaClientProperties.load(null, userProperties));
    Properties config =
        kafka.config(
            ClientKind.SINK_PRODUCER,
            Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "900000",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    System.out.println(
        "request.timeout.ms=" + config.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG));
    String id = "tally-stranded-init-" + System.currentTimeMillis();
    try (FlinkKafkaInternalProducer<byte[], byte[]> producer =
        new FlinkKafkaInternalProducer<>(config, id)) {
      producer.initTransactions(); // opens the connection to the coordinator
      producer.beginTransaction();
      producer.send(record(topic, "warm-up"));
      producer.commitTransaction();

      nft(dropAll(brokers));
      producer.setTransactionId(id); // what the connector does before reusing a producer
      CompletableFuture<Void> init = CompletableFuture.runAsync(producer::initTransactions);
      Deadline.sleep(cut);
      Set<Integer> stranded = strandedPorts(brokers);
      System.out.println("connections to the brokers closed with data unsent: " + stranded.size());
      if (stranded.isEmpty()) {
        nft("delete table inet " + TABLE + "\n");
      } else {
        nft("delete table inet " + TABLE + "\n" + dropPorts(stranded));
        init.get(2, TimeUnit.MINUTES); // the retry, on a new connection, goes first
      }
      init.get(2, TimeUnit.MINUTES);
      producer.beginTransaction();
      producer.send(record(topic, "after the cut"));
      producer.flush();
      nftQuietly("delete table inet " + TABLE + "\n"); // a stranded request is delivered now
      Deadline.sleep(Duration.ofSeconds(20));
      try {
        producer.commitTransaction();
        System.out.println("COMMITTED");
      } catch (RuntimeException e) {
        System.out.println("ABORTED: " + e);
      }
    } finally {
      nftQuietly("delete table inet " + TABLE + "\n");
    }
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, String text) {
    return new ProducerRecord<>(topic, text.getBytes(StandardCharsets.UTF_8));
  }

  private static String dropAll(Set<String> brokers) {
    String set = String.join(", ", brokers);
    return "table inet "
        + TABLE
        + " {\n  chain in { type filter hook input priority 0; policy accept; ip saddr { "
        + set
        + " } drop; }\n  chain out { type filter hook output priority 0; policy accept; ip daddr { "
        + set
        + " } drop; }\n}\n";
  }

  private static String dropPorts(Set<Integer> ports) {
    String set = String.join(", ", ports.stream().map(String::valueOf).toList());
    return "table inet "
        + TABLE
        + " {\n  chain in { type filter hook input priority 0; policy accept; tcp dport { "
        + set
        + " } drop; }\n"
        + "  chain out { type filter hook output priority 0; policy accept; tcp sport { "
        + set
        + " } drop; }\n}\n";
  }

  /** Local ports of connections to the brokers that were closed with data still unsent. */
  private static Set<Integer> strandedPorts(Set<String> brokers) {
    Set<Integer> ports = new TreeSet<>();
    for (String line :
        SystemCommand.run(List.of("ss", "-tnH", "state", "fin-wait-1")).split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length < 4) {
        continue;
      }
      String local = fields[fields.length - 2];
      String peer = fields[fields.length - 1];
      if (brokers.contains(host(peer))) {
        ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1)));
      }
    }
    return ports;
  }

  /** The IPv4 address of an ss endpoint: 10.0.0.1:9092 or [::ffff:10.0.0.1]:9092. */
  private static String host(String endpoint) {
    String host = endpoint.substring(0, endpoint.lastIndexOf(':'));
    return host.replace("[::ffff:", "").replace("[", "").replace("]", "");
  }

  private static void nft(String rules) {
    SystemCommand.run(List.of("nft", "-f", "-"), rules);
  }

  private static void nftQuietly(String rules) {
    try {
      nft(rules);
    } catch (IllegalStateException e) {
      // already gone
    }
  }
}
