package tally.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The faults {@code tally chaos} injects, by their command-line names. */
public enum FaultKind {
  /** kill -9 of a TaskManager, restarted after the restart delay. */
  TM_KILL("tm-kill", "kill -9 of a TaskManager (restarted after a delay)"),
  /**
   * kill -9 of the leading JobManager: the standby takes over through ZooKeeper HA and recovers the
   * job; the killed one is restarted after the restart delay.
   */
  JM_KILL("jm-kill", "kill -9 of the leading JobManager (the standby takes over the job)"),
  /** kill -9 of one Kafka broker, restarted after the restart delay. */
  BROKER_KILL("broker-kill", "kill -9 of a Kafka broker (restarted after a delay)"),
  /** kill -STOP of a TaskManager for the hang duration, then kill -CONT. */
  TM_HANG("tm-hang", "kill -STOP of a TaskManager, kill -CONT after the hang duration"),
  /** An exception thrown inside the job by its failure-injection operator. */
  JOB_EXCEPTION(
      "job-exception", "an exception thrown inside the job (its failure-injection operator)"),
  /** A TaskManager cut off from every other process for the network-fault duration. */
  PARTITION_TM(
      "partition-tm",
      "a TaskManager cut off by the network from the JobManager, the brokers and the other"
          + " TaskManager"),
  /** A broker cut off from the other two (the active controller, a transaction coordinator). */
  PARTITION_BROKER(
      "partition-broker",
      "a broker cut off from the other two (first the active KRaft controller, then the"
          + " coordinator of the job's transactions)"),
  /** Every TaskManager cut off from two of the three brokers. */
  PARTITION_KAFKA(
      "partition-kafka", "the TaskManagers cut off from a majority (two) of the brokers"),
  /** A broker's or a TaskManager's link throttled. */
  SLOW_NETWORK(
      "slow-network", "a broker's or a TaskManager's link made slow (2 Mbit/s, 300 ms queue)"),
  /** A broker's disk filled to the last block. */
  DISK_FULL("disk-full", "a broker's disk filled up (space given back afterwards)");

  private final String cliName;
  private final String description;

  FaultKind(String cliName, String description) {
    this.cliName = cliName;
    this.description = description;
  }

  /** Whether it needs the cluster's own network ({@code cluster up --network namespaces}). */
  public boolean needsOwnNetwork() {
    return this == PARTITION_TM
        || this == PARTITION_BROKER
        || this == PARTITION_KAFKA
        || this == SLOW_NETWORK;
  }

  /** Whether it cuts links with nftables rules (a slow link needs only tc). */
  public boolean needsNftables() {
    return needsOwnNetwork() && this != SLOW_NETWORK;
  }

  /** Whether it needs the brokers on disks of their own. */
  public boolean needsBrokerDisks() {
    return this == DISK_FULL;
  }

  public String cliName() {
    return cliName;
  }

  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return cliName;
  }

  public static FaultKind parse(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    for (FaultKind kind : values()) {
      if (kind.cliName.equals(wanted)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown fault '" + text + "': expected one of " + names());
  }

  /** "tm-kill,jm-kill" -> [TM_KILL, JM_KILL]; duplicates are dropped, order kept. */
  public static List<FaultKind> parseList(String text) {
    Set<FaultKind> kinds = new LinkedHashSet<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        kinds.add(parse(part));
      }
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("name at least one fault: " + names());
    }
    return new ArrayList<>(kinds);
  }

  public static String names() {
    return Arrays.stream(values()).map(FaultKind::cliName).collect(Collectors.joining(","));
  }
}
