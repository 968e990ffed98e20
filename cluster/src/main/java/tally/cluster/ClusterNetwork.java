package tally.cluster;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's own network: each process in its own Linux network namespace, joined by veth pairs
 * to one bridge in the host namespace, all on a private /24 that exists only on this machine (no
 * route leads out of it, nothing is forwarded). Tally's tools reach every process from the host
 * namespace through the bridge; the processes reach each other the same way. It makes faults of the
 * network possible between single processes: a partition ({@link #cut}: nftables drops in one
 * namespace, silently, as a real partition does) and a slow link ({@link #throttle}: a token bucket
 * on both ends of its veth).
 *
 * <p>Needs root, iproute2 and (for partitions) nftables; {@link #unavailableReason()} says what is
 * missing, and the cluster then runs on loopback as before.
 *
 * @param id short id of the work dir: names of the namespaces ({@code tally-<id>-<process>}),
 *     bridge ({@code tb<id>}) and host-side veths ({@code tv<id><n>})
 * @param subnet the first three octets of the /24, e.g. {@code 10.143.7}; the bridge is {@code .1}
 * @param addresses each process's address, in start order
 */
public record ClusterNetwork(String id, String subnet, Map<String, String> addresses) {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterNetwork.class);

  /** The interface inside each namespace. */
  static final String INNER_DEVICE = "eth0";

  private static final String PARTITION_TABLE = "tally_partition";

  /**
   * The longest TCP retransmission timeout inside the namespaces (Linux 6.15+; 120 s otherwise).
   * The kernel doubles a connection's timeout on every unanswered retransmission, so after a 20 s
   * outage the next resend came up to 6 s after the link healed, and every client waited for it
   * (docs/cluster.md). Capped at 2 s, it comes at most 2 s after. The cap also shortens how long a
   * link may stay dead before the kernel gives a connection up (tcp_retries2: ~27 s instead of ~15
   * min), and the clients then reconnect, which they do anyway on their own timeouts.
   */
  public static final int TCP_RTO_MAX_MILLIS = 2000;

  /** The kernel's own cap (TCP_RTO_MAX), which the namespaces start with. */
  public static final int KERNEL_TCP_RTO_MAX_MILLIS = 120_000;

  static final Path TCP_RTO_MAX_SYSCTL = Path.of("/proc/sys/net/ipv4/tcp_rto_max_ms");

  public ClusterNetwork {
    addresses = new LinkedHashMap<>(addresses);
  }

  /** Why namespaces cannot be used on this machine, or empty when they can. */
  public static Optional<String> unavailableReason() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return Optional.of("network namespaces need Linux");
    }
    if (!isRoot()) {
      return Optional.of("network namespaces need root");
    }
    if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))) {
      return Optional.of("network namespaces need iproute2 ('ip')");
    }
    String probe = "tally-probe-" + ProcessHandle.current().pid();
    try {
      SystemCommand.run(List.of("ip", "netns", "add", probe));
      SystemCommand.run(List.of("ip", "netns", "del", probe));
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("'ip netns add' is not allowed here (" + e.getMessage() + ")");
    }
  }

  /** Whether nftables is installed: needed only to cut links (partition faults). */
  public static boolean canPartition() {
    return Files.isExecutable(Path.of("/usr/sbin/nft")) || Files.isExecutable(Path.of("/sbin/nft"));
  }

  /**
   * The network for a cluster of {@code processes} under {@code layout}: names from the work dir,
   * and a /24 in 10.64.0.0/10 that no route of this machine uses yet.
   */
  public static ClusterNetwork plan(ClusterLayout layout, List<String> processes) {
    int hash = layout.root().toString().hashCode() & 0x7fffffff;
    String id = String.format("%06x", hash % 0xffffff);
    // A bridge of this work dir left by an earlier run is replaced, so its subnet counts as free.
    String ours = "tb" + id;
    String routes = withoutLinesOf(ours, SystemCommand.run(List.of("ip", "-4", "route", "show")));
    String addressesInUse =
        withoutLinesOf(ours, SystemCommand.run(List.of("ip", "-4", "-o", "addr", "show")));
    for (int attempt = 0; attempt < 4096; attempt++) {
      int n = (hash + attempt * 7919) % 16384; // 10.64.0.0 - 10.127.255.0
      String subnet = "10." + (64 + n / 256) + "." + (n % 256);
      if (!routes.contains(subnet + ".") && !addressesInUse.contains(subnet + ".")) {
        Map<String, String> addresses = new LinkedHashMap<>();
        for (int i = 0; i < processes.size(); i++) {
          addresses.put(processes.get(i), subnet + "." + (10 + i));
        }
        return new ClusterNetwork(id, subnet, addresses);
      }
    }
    throw new IllegalStateException("no free /24 in 10.64.0.0/10 for the cluster's network");
  }

  private static String withoutLinesOf(String device, String text) {
    return text.lines()
        .filter(line -> !line.contains(" " + device + " ") && !line.endsWith(" " + device))
        .collect(Collectors.joining("\n"));
  }

  public String address(String process) {
    String address = addresses.get(process);
    if (address == null) {
      throw new IllegalArgumentException("no address for '" + process + "' in the network");
    }
    return address;
  }

  /** The host namespace's address on the bridge: where Tally's own clients come from. */
  @JsonIgnore
  public String hostAddress() {
    return subnet + ".1";
  }

  public String namespace(String process) {
    return "tally-" + id + "-" + process;
  }

  @JsonIgnore
  String bridge() {
    return "tb" + id;
  }

  private String hostDevice(String process) {
    return "tv" + id + new ArrayList<>(addresses.keySet()).indexOf(process);
  }

  /** The command run inside the process's namespace ({@code ip netns exec} execs: same pid). */
  public List<String> wrap(String process, List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", namespace(process)));
    wrapped.addAll(command);
    return wrapped;
  }

  // ------------------------------------------------------------------------------- lifecycle

  /** Creates the bridge and one namespace per process; an earlier one of the same id goes first. */
  public void create() {
    delete();
    SystemCommand.run(List.of("ip", "link", "add", bridge(), "type", "bridge"));
    SystemCommand.run(List.of("ip", "addr", "add", hostAddress() + "/24", "dev", bridge()));
    SystemCommand.run(List.of("ip", "link", "set", bridge(), "up"));
    for (Map.Entry<String, String> entry : addresses.entrySet()) {
      String ns = namespace(entry.getKey());
      String host = hostDevice(entry.getKey());
      SystemCommand.run(List.of("ip", "netns", "add", ns));
      SystemCommand.run(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
      SystemCommand.run(
          List.of(
              "ip",
              "link",
              "add",
              host,
              "type",
              "veth",
              "peer",
              "name",
              INNER_DEVICE,
              "netns",
              ns));
      SystemCommand.run(List.of("ip", "link", "set", host, "master", bridge()));
      SystemCommand.run(List.of("ip", "link", "set", host, "up"));
      SystemCommand.run(
          List.of("ip", "-n", ns, "addr", "add", entry.getValue() + "/24", "dev", INNER_DEVICE));
      SystemCommand.run(List.of("ip", "-n", ns, "link", "set", INNER_DEVICE, "up"));
      if (Files.exists(TCP_RTO_MAX_SYSCTL)) {
        tcpRtoMaxMillis(entry.getKey(), TCP_RTO_MAX_MILLIS);
      }
    }
    LOG.info(
        "Network: {} namespaces on {}.0/24 (bridge {}, host side {}){}",
        addresses.size(),
        subnet,
        bridge(),
        hostAddress(),
        Files.exists(TCP_RTO_MAX_SYSCTL)
            ? ", TCP retransmission timeout at most " + TCP_RTO_MAX_MILLIS + " ms"
            : "");
  }

  /**
   * The longest TCP retransmission timeout in {@code process}'s namespace, in milliseconds, or
   * empty where the kernel has no such setting.
   */
  public Optional<Integer> tcpRtoMaxMillis(String process) {
    if (!Files.exists(TCP_RTO_MAX_SYSCTL)) {
      return Optional.empty();
    }
    return Optional.of(
        Integer.parseInt(
            SystemCommand.run(wrap(process, List.of("sysctl", "-n", "net.ipv4.tcp_rto_max_ms")))
                .trim()));
  }

  /**
   * Sets the longest TCP retransmission timeout in {@code process}'s namespace: {@link
   * #TCP_RTO_MAX_MILLIS} at creation, the kernel's own for tests that compare with it; needs {@link
   * #TCP_RTO_MAX_SYSCTL}.
   */
  public void tcpRtoMaxMillis(String process, int millis) {
    SystemCommand.run(
        wrap(process, List.of("sysctl", "-q", "-w", "net.ipv4.tcp_rto_max_ms=" + millis)));
  }

  /** Whether the namespaces exist (they survive the processes, not a reboot). */
  public boolean exists() {
    String list = SystemCommand.run(List.of("ip", "netns", "list"));
    return addresses.keySet().stream()
        .allMatch(
            process ->
                list.lines()
                    .anyMatch(
                        l ->
                            l.startsWith(namespace(process) + " ")
                                || l.equals(namespace(process))));
  }

  /** Removes the namespaces (and with them their veths) and the bridge; quiet when gone. */
  public void delete() {
    for (String process : addresses.keySet()) {
      runQuietly(List.of("ip", "netns", "del", namespace(process)));
    }
    runQuietly(List.of("ip", "link", "del", bridge()));
  }

  // ---------------------------------------------------------------------------------- faults

  /**
   * Cuts {@code process} off from {@code peers} (process names) in both directions: nftables in its
   * namespace drops every packet to or from them, without an answer, as a broken link does. Other
   * peers, and Tally's tools in the host namespace, still reach it.
   */
  public void cut(String process, Collection<String> peers) {
    if (!canPartition()) {
      throw new IllegalStateException(
          "cutting links needs nftables: install it (apt-get install nftables)");
    }
    String set = peers.stream().map(this::address).collect(Collectors.joining(", "));
    String rules =
        "table inet "
            + PARTITION_TABLE
            + " {\n"
            + "  chain in { type filter hook input priority 0; policy accept; ip saddr { "
            + set
            + " } drop; }\n"
            + "  chain out { type filter hook output priority 0; policy accept; ip daddr { "
            + set
            + " } drop; }\n"
            + "}\n";
    SystemCommand.run(wrap(process, List.of("nft", "-f", "-")), rules);
    LOG.info("Chaos: cut {} off from {}", process, peers);
  }

  /** Undoes {@link #cut}; quiet when nothing is cut. */
  public void heal(String process) {
    runQuietly(wrap(process, List.of("nft", "delete", "table", "inet", PARTITION_TABLE)));
    LOG.info("Chaos: healed the links of {}", process);
  }

  /** Whether {@code process} has links cut. */
  public boolean isCut(String process) {
    return canPartition()
        && SystemCommand.run(wrap(process, List.of("nft", "list", "tables")))
            .contains(PARTITION_TABLE);
  }

  /**
   * Makes {@code process}'s link slow, both ways: a token bucket of {@code kbitPerSecond} with up
   * to {@code queueMillis} of queue on each end of its veth (this kernel has no netem; a full
   * bucket delays, a full queue drops as a congested link does).
   */
  public void throttle(String process, int kbitPerSecond, int queueMillis) {
    List<String> tbf =
        List.of(
            "root",
            "tbf",
            "rate",
            kbitPerSecond + "kbit",
            "burst",
            "16kb",
            "latency",
            queueMillis + "ms");
    List<String> tc = new ArrayList<>(List.of("tc", "qdisc", "replace", "dev", INNER_DEVICE));
    tc.addAll(tbf);
    SystemCommand.run(wrap(process, tc));
    List<String> outside =
        new ArrayList<>(List.of("tc", "qdisc", "replace", "dev", hostDevice(process)));
    outside.addAll(tbf);
    SystemCommand.run(outside);
    LOG.info("Chaos: {} throttled to {} kbit/s ({} ms queue)", process, kbitPerSecond, queueMillis);
  }

  /** Whether {@code process}'s link is throttled. */
  public boolean isThrottled(String process) {
    return SystemCommand.run(List.of("tc", "qdisc", "show", "dev", hostDevice(process)))
        .contains("tbf");
  }

  /** Undoes {@link #throttle}; quiet when not throttled. */
  public void unthrottle(String process) {
    runQuietly(wrap(process, List.of("tc", "qdisc", "del", "dev", INNER_DEVICE, "root")));
    runQuietly(List.of("tc", "qdisc", "del", "dev", hostDevice(process), "root"));
    LOG.info("Chaos: {} at full speed again", process);
  }

  // --------------------------------------------------------------------------------- helpers

  static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(line -> line.startsWith("Uid:"))
          .anyMatch(line -> line.split("\\s+")[2].equals("0"));
    } catch (IOException e) {
      return false;
    }
  }

  private static void runQuietly(List<String> command) {
    try {
      SystemCommand.run(command);
    } catch (RuntimeException e) {
      LOG.debug("{}: {}", String.join(" ", command), e.getMessage());
    }
  }
}
