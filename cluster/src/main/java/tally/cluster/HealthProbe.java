package tally.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import tally.connectors.kafka.KafkaConnection;

/**
 * Is each kind of cluster process up and doing its job? Cheap checks, each bounded by a timeout.
 */
public final class HealthProbe {

  private HealthProbe() {}

  public static boolean acceptsConnections(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether the JobManager serving Prometheus metrics at {@code host:metricsPort} leads the
   * cluster: only the leader runs a ResourceManager, and with it the gauge of registered
   * TaskManagers.
   */
  public static boolean leadsFlink(String host, int metricsPort) {
    try {
      HttpURLConnection http =
          (HttpURLConnection)
              URI.create("http://" + host + ":" + metricsPort + "/metrics")
                  .toURL()
                  .openConnection();
      http.setConnectTimeout(500);
      http.setReadTimeout(2000);
      try (InputStream in = http.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(LEADER_METRIC + "{");
      } finally {
        http.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  static final String LEADER_METRIC = "flink_jobmanager_numRegisteredTaskManagers";

  /**
   * ZooKeeper's {@code srvr} four-letter word: "Mode: standalone" once it serves requests ({@code
   * ruok} answers earlier).
   */
  public static String zookeeperMode(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      return answer
          .lines()
          .filter(line -> line.startsWith("Mode:"))
          .map(line -> line.substring(5).trim())
          .findFirst()
          .orElse("");
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Ids of the brokers the cluster's metadata lists as alive (a killed broker drops out once
   * fenced).
   */
  public static Set<Integer> liveBrokers(KafkaConnection kafka, Duration timeout) {
    try (Admin admin = admin(kafka, timeout)) {
      return admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).stream()
          .map(Node::id)
          .collect(Collectors.toSet());
    } catch (Exception e) {
      return Set.of();
    }
  }

  /** An admin client with short timeouts, with the client properties of {@code kafka}. */
  public static Admin admin(KafkaConnection kafka, Duration timeout) {
    return kafka.createAdmin(
        Map.of(
            AdminClientConfig.CLIENT_ID_CONFIG,
            "tally-cluster",
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            (int) Math.max(1000, timeout.toMillis()),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) Math.max(2000, timeout.toMillis())));
  }
}
