package tally.chaos;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.cluster.BrokerDisks;
import tally.cluster.ClusterLayout;
import tally.cluster.ClusterNetwork;
import tally.cluster.ClusterPorts;
import tally.cluster.ClusterProcess;
import tally.cluster.ClusterState;
import tally.cluster.FlinkRestClient;
import tally.cluster.HealthProbe;
import tally.cluster.ProcessCluster;
import tally.cluster.ProcessControl;
import tally.connectors.kafka.KafkaConnection;

/**
 * The running cluster as a chaos run sees it: its processes (kill, stop, continue, restart, by pid,
 * keeping cluster.json current), Flink's REST API, and a Kafka admin client, with the health checks
 * a fault's recovery is judged by.
 */
final class ChaosTarget implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChaosTarget.class);
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(5);

  private final ProcessCluster cluster;
  private final FlinkRestClient rest;
  private final Admin admin;
  private final BrokerDisks disks;
  private volatile ClusterState state;

  ChaosTarget(ClusterLayout layout) {
    this.cluster = new ProcessCluster(layout);
    this.disks = new BrokerDisks(layout);
    this.state = ClusterState.require(layout);
    this.rest = state.rest();
    this.admin = HealthProbe.admin(state.kafka(), KAFKA_TIMEOUT);
  }

  ClusterLayout layout() {
    return cluster.layout();
  }

  FlinkRestClient rest() {
    return rest;
  }

  String bootstrapServers() {
    return state.ports().bootstrapServers();
  }

  /** The cluster's Kafka as the run's own tools reach it (the admin on a secured cluster). */
  KafkaConnection kafka() {
    return state.kafka();
  }

  /** The cluster's Kafka as {@code principal} reaches it (on a plaintext cluster: as anyone). */
  KafkaConnection kafka(String principal) {
    return state.kafka(principal);
  }

  synchronized ClusterState state() {
    return state;
  }

  ClusterProcess process(String name) {
    return state().process(name);
  }

  /** A process's name with its current pid, for reports. */
  String describe(String name) {
    return name + " (pid " + process(name).pid() + ")";
  }

  // ----------------------------------------------------------------------------------- faults

  void kill(String name) {
    ClusterProcess process = process(name);
    ProcessHandle handle =
        ProcessControl.live(process, layout())
            .orElseThrow(() -> new IllegalStateException(name + " is not running: cannot kill it"));
    ProcessControl.kill(handle);
    LOG.info("Chaos: killed {} (kill -9, pid {})", name, process.pid());
  }

  void stop(String name) {
    ProcessControl.signal(liveHandle(name).pid(), "STOP");
    LOG.info("Chaos: stopped {} (kill -STOP, pid {})", name, process(name).pid());
  }

  void resume(String name) {
    ProcessControl.signal(process(name).pid(), "CONT");
    LOG.info("Chaos: resumed {} (kill -CONT, pid {})", name, process(name).pid());
  }

  synchronized void restart(String name) {
    state = cluster.restart(state, name);
  }

  boolean isRunning(String name) {
    return ProcessControl.live(process(name), layout()).isPresent();
  }

  boolean isStopped(String name) {
    return isRunning(name) && ProcessControl.isStopped(process(name).pid());
  }

  // ---------------------------------------------------------------- network and disk faults

  /** The cluster's own network; partitions and slow links need one. */
  ClusterNetwork network() {
    return state()
        .ownNetwork()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the cluster runs on loopback: network faults need its own network"));
  }

  BrokerDisks disks() {
    return disks;
  }

  void cut(String name, Collection<String> peers) {
    network().cut(name, peers);
  }

  void heal(String name) {
    network().heal(name);
  }

  void throttle(String name, int kbitPerSecond, int queueMillis) {
    network().throttle(name, kbitPerSecond, queueMillis);
  }

  void unthrottle(String name) {
    network().unthrottle(name);
  }

  /** Why the run cannot inject {@code kind} on this cluster, or empty when it can. */
  Optional<String> cannotInject(FaultKind kind) {
    return cannotInject(kind, state(), disks);
  }

  /** Why a run cannot inject {@code kind} on the cluster {@code state}, or empty when it can. */
  static Optional<String> cannotInject(FaultKind kind, ClusterState state, BrokerDisks disks) {
    if (kind.needsOwnNetwork() && state.ownNetwork().isEmpty()) {
      return Optional.of(
          kind
              + " needs the cluster's own network: 'bin/tally cluster up --network namespaces' (as"
              + " root; a secured cluster runs on loopback)");
    }
    if (kind.needsNftables() && !ClusterNetwork.canPartition()) {
      return Optional.of(kind + " needs nftables: apt-get install nftables");
    }
    if (kind.needsBrokerDisks()) {
      for (int node = 1; node <= ClusterPorts.BROKERS; node++) {
        if (!disks.has(node)) {
          return Optional.of(
              kind
                  + " needs each broker on a disk of its own: start the cluster as root in a new"
                  + " --work-dir");
        }
      }
    }
    return Optional.empty();
  }

  /** Brokers coordinating transactions whose id starts with {@code idPrefix}. */
  Set<Integer> transactionCoordinators(String idPrefix) {
    try {
      List<String> ids =
          admin
              .listTransactions()
              .all()
              .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .stream()
              .map(TransactionListing::transactionalId)
              .filter(id -> id.startsWith(idPrefix))
              .toList();
      if (ids.isEmpty()) {
        return Set.of();
      }
      return admin
          .describeTransactions(ids)
          .all()
          .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .values()
          .stream()
          .map(TransactionDescription::coordinatorId)
          .collect(Collectors.toSet());
    } catch (Exception e) {
      return Set.of();
    }
  }

  /** Leaves no process stopped, dead, cut off, throttled or on a full disk: when a run ends. */
  void repairEverything() {
    state()
        .ownNetwork()
        .ifPresent(
            network -> {
              for (ClusterProcess p : state().processes()) {
                if (network.isCut(p.name())) {
                  heal(p.name());
                }
                if (network.isThrottled(p.name())) {
                  unthrottle(p.name());
                }
              }
            });
    for (int node = 1; node <= ClusterPorts.BROKERS; node++) {
      disks.free(node);
    }
    for (ClusterProcess p : state().processes()) {
      if (isStopped(p.name())) {
        resume(p.name());
      } else if (!isRunning(p.name())) {
        LOG.info("Chaos: restarting {} before leaving", p.name());
        restart(p.name());
      }
    }
  }

  private ProcessHandle liveHandle(String name) {
    return ProcessControl.live(process(name), layout())
        .orElseThrow(() -> new IllegalStateException(name + " is not running"));
  }

  // ---------------------------------------------------------------------------------- health

  boolean processHealthy(String name) {
    return !isStopped(name) && cluster.healthy(state(), name);
  }

  /** Names of processes that are not healthy, empty when all are. */
  List<String> unhealthyProcesses() {
    return cluster.status(state()).stream()
        .filter(s -> !s.healthy())
        .map(s -> s.process().name())
        .toList();
  }

  /**
   * The RPC path under which the TaskManager of that name is registered, empty if it is not (or
   * Flink does not answer).
   */
  Optional<String> registrationPath(String taskManager) {
    try {
      return rest.taskManagers().stream()
          .filter(tm -> tm.id().equals(taskManager))
          .map(FlinkRestClient.TaskManager::path)
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** TaskManagers with a slot in use (running tasks); all of them when Flink does not answer. */
  List<String> busyTaskManagers() {
    try {
      List<String> busy =
          rest.taskManagers().stream()
              .filter(tm -> tm.freeSlots() < tm.slots())
              .map(FlinkRestClient.TaskManager::id)
              .sorted()
              .toList();
      return busy.isEmpty() ? ProcessCluster.TASKMANAGERS : busy;
    } catch (IOException e) {
      return ProcessCluster.TASKMANAGERS;
    }
  }

  boolean jobRunning(String jobId) {
    try {
      return rest.allTasksRunning(jobId);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * How many failovers Flink recorded for the job at or after {@code sinceMillis} (one
   * exception-history entry each; more precise than the numRestarts metric, which the REST API
   * refreshes every 10 s).
   */
  long failuresSince(String jobId, long sinceMillis) {
    try {
      return rest.exceptions(jobId).stream().filter(e -> e.timestamp() >= sinceMillis).count();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Wall-clock ms of the first failure Flink recorded for the job at or after {@code sinceMillis}.
   */
  Optional<Long> firstFailureSince(String jobId, long sinceMillis) {
    try {
      return rest.exceptions(jobId).stream()
          .map(FlinkRestClient.ExceptionHistoryEntry::timestamp)
          .filter(ts -> ts >= sinceMillis)
          .min(Long::compare);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The failovers in the job's exception history, empty if Flink does not answer. The history is
   * short (16 entries by default) and a new JobManager starts it empty: callers that need every
   * failover ask often and keep what they saw.
   */
  List<JobFailover> failovers(String jobId) {
    try {
      return rest.exceptions(jobId).stream()
          .map(
              e ->
                  new JobFailover(
                      Instant.ofEpochMilli(e.timestamp()),
                      e.firstLine().isEmpty() ? e.exceptionName() : e.firstLine()))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The JobManager that leads now, if one does. */
  Optional<String> leadingJobManager() {
    return cluster.leadingJobManager(state());
  }

  /**
   * Whether the REST API answers and lists the job (after a JobManager failover: the new leader
   * recovered it).
   */
  boolean jobKnown(String jobId) {
    try {
      return rest.job(jobId).isPresent();
    } catch (IOException e) {
      return false;
    }
  }

  Set<Integer> liveBrokers() {
    try {
      return admin
          .describeCluster()
          .nodes()
          .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .stream()
          .map(Node::id)
          .collect(Collectors.toSet());
    } catch (Exception e) {
      return Set.of();
    }
  }

  /**
   * Now, if the quorum has fenced broker {@code nodeId}: the metadata the others serve no longer
   * lists it (and lists some broker: an empty answer is Kafka not answering, not a fence).
   */
  Optional<Long> fencedNow(int nodeId) {
    Set<Integer> live = liveBrokers();
    return !live.isEmpty() && !live.contains(nodeId)
        ? Optional.of(System.currentTimeMillis())
        : Optional.empty();
  }

  /** The node id of the active KRaft controller, -1 if unknown. */
  int activeController() {
    try {
      return admin
          .describeMetadataQuorum()
          .quorumInfo()
          .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .leaderId();
    } catch (Exception e) {
      return -1;
    }
  }

  /**
   * Partitions (internal ones included) whose ISR is smaller than their replica set; -1 if Kafka
   * did not answer.
   */
  int underReplicatedPartitions() {
    try {
      Set<String> topics =
          admin
              .listTopics(new ListTopicsOptions().listInternal(true))
              .names()
              .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      int count = 0;
      for (TopicDescription topic :
          admin
              .describeTopics(topics)
              .allTopicNames()
              .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .values()) {
        for (TopicPartitionInfo partition : topic.partitions()) {
          if (partition.isr().size() < partition.replicas().size()) {
            count++;
          }
        }
      }
      return count;
    } catch (Exception e) {
      return -1;
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
