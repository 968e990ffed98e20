package tally.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.support.Deadline;
import tally.support.FileTrees;

/**
 * The no-Docker cluster: ZooKeeper (Flink HA), three KRaft brokers, a Flink JobManager with
 * ZooKeeper HA and two TaskManagers, each its own OS process started from the Maven Central jars,
 * detached from the JVM that started them. Everything lives under one work directory ({@link
 * ClusterLayout}), and {@code cluster.json} there records the processes so another invocation finds
 * them.
 */
public final class ProcessCluster {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessCluster.class);

  static final Duration ZOOKEEPER_START = Duration.ofSeconds(60);
  static final Duration KAFKA_START = Duration.ofSeconds(120);
  static final Duration FLINK_START = Duration.ofSeconds(120);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final Duration BROKER_STOP_GRACE = Duration.ofSeconds(10);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  public static final List<String> TASKMANAGERS = List.of("taskmanager-1", "taskmanager-2");

  /**
   * Two JobManagers under ZooKeeper HA: one leads, the other stands by and takes over when the
   * leader's ZooKeeper session ends, without a JVM to start (docs/cluster.md).
   */
  public static final String STANDBY_JOBMANAGER = "jobmanager-2";

  public static final List<String> JOBMANAGERS = List.of("jobmanager", STANDBY_JOBMANAGER);

  private final ClusterLayout layout;

  public ProcessCluster(ClusterLayout layout) {
    this.layout = layout;
  }

  public ClusterLayout layout() {
    return layout;
  }

  /** How one process is doing. */
  public record ProcessStatus(
      ClusterProcess process, boolean alive, boolean stopped, boolean healthy, String health) {}

  // ---------------------------------------------------------------------------------------- up

  /**
   * Starts every process and waits until each is healthy and the topics exist. Reuses the data of
   * an earlier cluster in the same work dir (its brokers' storage, checkpoints, HA state: jobs that
   * were running when it went down recover). On failure, stops what it started and throws with the
   * failing process's log tail.
   */
  public ClusterState up(TallyHome home, ClusterPorts ports, Consumer<String> progress) {
    return up(home, ports, false, progress);
  }

  /**
   * As above; {@code secure} starts a new work dir as a secured cluster ({@link ClusterSecurity}).
   * A work dir keeps what it was first started as: a secured one stays secured, and {@code secure}
   * on a plaintext one is refused (its brokers' storage holds no credentials).
   */
  public ClusterState up(
      TallyHome home, ClusterPorts ports, boolean secure, Consumer<String> progress) {
    return up(home, ports, secure, NetworkMode.AUTO, progress);
  }

  /** Whether the processes get a network of their own ({@link ClusterNetwork}). */
  public enum NetworkMode {
    /** Their own network where this machine allows it, else loopback with a one-line notice. */
    AUTO,
    /** Their own network, or a start-up error saying why not. */
    NAMESPACES,
    /** All on localhost. */
    LOOPBACK
  }

  /**
   * As above, with the network chosen by {@code networkMode}. A secured cluster runs on loopback:
   * its certificates name localhost.
   */
  public ClusterState up(
      TallyHome home,
      ClusterPorts requestedPorts,
      boolean secure,
      NetworkMode networkMode,
      Consumer<String> progress) {
    refuseIfRunning();
    layout.createDirectories();
    BrokerDisks disks = mountDisks(progress);
    boolean secured = secure || ClusterSecurity.isSecured(layout);
    ClusterNetwork network = network(networkMode, secured, progress);
    ClusterPorts ports = requestedPorts.on(network);
    if (network == null) {
      requireFree(ports);
    }
    long started = System.nanoTime();
    Starter starter = null;
    Thread rollbackOnExit = null;
    try {
      ClusterSecurity security = security(secure, ports);
      if (network != null) {
        network.create();
        progress.accept(
            "Network:   own network "
                + network.subnet()
                + ".0/24, each process in its own namespace (this machine reaches them at"
                + " their addresses; nothing outside it can)");
      }
      String clusterId = existingKafkaClusterId().orElseGet(() -> Uuid.randomUuid().toString());
      Configuration flinkConf = writeConfiguration(home, ports, security);
      starter = new Starter(plan(ports, clusterId, flinkConf, security != null, network));
      rollbackOnExit = new Thread(starter::stopAllQuietly, "tally-cluster-up-rollback");
      Runtime.getRuntime().addShutdownHook(rollbackOnExit);
      startZooKeeper(starter, ports, started, progress);
      startBrokersAndJobManager(starter, ports, clusterId, security, started, progress);
      startTaskManagers(starter, ports, started, progress);
      createTopics(starter.state(), progress);
      starter.completed();
      LOG.info("Cluster up in {} (work dir {})", seconds(started), layout.root());
      return starter.state();
    } catch (RuntimeException e) {
      LOG.warn("Cluster start failed; stopping the processes it started");
      if (starter != null) {
        starter.stopAllQuietly();
      }
      if (network != null) {
        network.delete();
      }
      disks.unmountAll();
      ClusterState.delete(layout);
      throw e;
    } finally {
      if (rollbackOnExit != null) {
        removeHook(rollbackOnExit);
      }
    }
  }

  /**
   * Each broker's data dir on a size-limited disk of its own where this machine allows it (the
   * disk-full fault needs one); a notice otherwise.
   */
  private BrokerDisks mountDisks(Consumer<String> progress) {
    BrokerDisks disks = new BrokerDisks(layout);
    Optional<String> unavailable = BrokerDisks.unavailableReason();
    if (unavailable.isPresent()) {
      progress.accept(
          "Disks:     brokers write to the work dir ("
              + unavailable.get()
              + "; the disk-full fault is unavailable)");
      return disks;
    }
    int mounted = 0;
    for (int node = 1; node <= ClusterPorts.BROKERS; node++) {
      mounted += disks.mount(node) ? 1 : 0;
    }
    progress.accept(
        mounted == ClusterPorts.BROKERS
            ? "Disks:     each broker on a disk of its own ("
                + (BrokerDisks.SIZE_BYTES >> 30)
                + " GiB, kafka-N/disk.img)"
            : "Disks:     "
                + (ClusterPorts.BROKERS - mounted)
                + " broker(s) keep data from before disks of their own; the disk-full fault needs"
                + " a new work dir");
    return disks;
  }

  private ClusterNetwork network(NetworkMode mode, boolean secured, Consumer<String> progress) {
    if (mode == NetworkMode.LOOPBACK) {
      return null;
    }
    Optional<String> unavailable =
        secured
            ? Optional.of("a secured cluster's certificates name localhost")
            : ClusterNetwork.unavailableReason();
    if (unavailable.isPresent()) {
      if (mode == NetworkMode.NAMESPACES) {
        throw new IllegalStateException(
            "the cluster cannot have its own network: "
                + unavailable.get()
                + " (start it with --network loopback)");
      }
      progress.accept(
          "Network:   loopback ("
              + unavailable.get()
              + "; the partition and slow-network faults need the cluster's own network)");
      return null;
    }
    return ClusterNetwork.plan(layout, processNames());
  }

  /** Every process of the cluster, in start order. */
  static List<String> processNames() {
    List<String> names = new ArrayList<>(List.of("zookeeper", "kafka-1", "kafka-2", "kafka-3"));
    names.addAll(JOBMANAGERS);
    names.addAll(TASKMANAGERS);
    return names;
  }

  /** The security material to start with: generated, reused, or null for plaintext. */
  private ClusterSecurity security(boolean secure, ClusterPorts ports) {
    boolean formatted = KafkaBrokerFiles.isFormatted(1, layout);
    if (ClusterSecurity.isSecured(layout)) {
      if (!formatted) { // an earlier secured start failed before formatting: start afresh
        return ClusterSecurity.generate(layout, ports.bootstrapServers());
      }
      return ClusterSecurity.load(layout);
    }
    if (!secure) {
      return null;
    }
    if (formatted) {
      throw new IllegalStateException(
          layout.root()
              + " holds a plaintext cluster, whose brokers have no credentials: start the secured"
              + " cluster in another --work-dir (or 'cluster down' and delete this one)");
    }
    return ClusterSecurity.generate(layout, ports.bootstrapServers());
  }

  private Configuration writeConfiguration(
      TallyHome home, ClusterPorts ports, ClusterSecurity security) {
    FlinkExtensionsJar.write(layout);
    ZooKeeperFiles.write(home, layout, ports);
    for (int node = 1; node <= ClusterPorts.BROKERS; node++) {
      KafkaBrokerFiles.write(node, home, layout, ports, security);
    }
    return FlinkConfigFiles.write(home, layout, ports, security);
  }

  private void startZooKeeper(
      Starter starter, ClusterPorts ports, long started, Consumer<String> progress) {
    starter.start("zookeeper");
    awaitZooKeeper(starter.state().process("zookeeper"), ports);
    progress.accept(line("ZooKeeper", starter.state().process("zookeeper"), started));
  }

  private void startBrokersAndJobManager(
      Starter starter,
      ClusterPorts ports,
      String clusterId,
      ClusterSecurity security,
      long started,
      Consumer<String> progress) {
    List<String> credentials = security == null ? List.of() : security.scramFormatArguments();
    for (int node = 1; node <= ClusterPorts.BROKERS; node++) {
      if (!KafkaBrokerFiles.isFormatted(node, layout)) {
        KafkaBrokerFiles.format(node, clusterId, layout, credentials);
      }
    }
    // A broker opens its port only once the quorum has a leader, which needs two of three: start
    // all at once.
    // The JobManagers need only ZooKeeper, so they start meanwhile; the first one started usually
    // leads.
    for (int node = 1; node <= ClusterPorts.BROKERS; node++) {
      starter.start("kafka-" + node);
    }
    for (String jm : JOBMANAGERS) {
      starter.start(jm);
    }
    awaitBrokers(starter.state());
    progress.accept(
        "Kafka:     3 brokers up at "
            + ports.bootstrapServers()
            + (security == null ? "" : " (" + ClusterSecurity.MODE.securityProtocol() + ")")
            + " (pids "
            + starter.state().processes(ProcessRole.KAFKA).stream()
                .map(p -> Long.toString(p.pid()))
                .collect(Collectors.joining(", "))
            + ") after "
            + seconds(started));
    for (String jm : JOBMANAGERS) {
      awaitJobManager(starter.state(), jm);
      progress.accept(line("JobManager", starter.state().process(jm), started));
    }
  }

  private void startTaskManagers(
      Starter starter, ClusterPorts ports, long started, Consumer<String> progress) {
    for (String tm : TASKMANAGERS) {
      starter.start(tm);
    }
    awaitTaskManagers(starter.state(), TASKMANAGERS);
    progress.accept(
        "TaskManagers: "
            + TASKMANAGERS.size()
            + " registered ("
            + starter.state().processes(ProcessRole.TASKMANAGER).stream()
                .map(p -> p.name() + " pid " + p.pid())
                .collect(Collectors.joining(", "))
            + ") after "
            + seconds(started));
  }

  private static void createTopics(ClusterState state, Consumer<String> progress) {
    int created = ClusterTopics.ensure(state.kafka());
    progress.accept(
        "Topics:    "
            + created
            + " created, "
            + (ClusterTopics.names().size() - created)
            + " existed ("
            + ClusterTopics.PARTITIONS
            + " partitions, replication factor "
            + ClusterTopics.REPLICATION_FACTOR
            + ")");
    if (state.secured()) {
      int acls = ClusterTopics.grantLeastPrivilege(state.kafka());
      progress.accept(
          "ACLs:      "
              + acls
              + " least-privilege ACLs for ledger, revenue, generator and auditor; client files in "
              + ClusterSecurity.clientsDir(new ClusterLayout(Path.of(state.workDir()))));
    }
  }

  private ClusterState plan(
      ClusterPorts ports,
      String clusterId,
      Configuration flinkConf,
      boolean secured,
      ClusterNetwork network) {
    ProcessCommands commands = new ProcessCommands(layout, ports);
    List<ClusterProcess> processes = new ArrayList<>();
    processes.add(
        planned(
            "zookeeper",
            ProcessRole.ZOOKEEPER,
            commands.zookeeper(),
            null,
            ports.zookeeperQuorum()));
    for (int node = 1; node <= ClusterPorts.BROKERS; node++) {
      processes.add(
          planned(
              "kafka-" + node,
              ProcessRole.KAFKA,
              commands.kafka(node),
              null,
              ports.host("kafka-" + node) + ":" + ports.kafka().get(node - 1)));
    }
    for (String jm : JOBMANAGERS) {
      processes.add(
          planned(
              jm,
              ProcessRole.JOBMANAGER,
              commands.jobManager(jm, flinkConf),
              layout.tmpDir(jm).toString(),
              ports.webUiUrl(jm, secured)));
    }
    for (String tm : TASKMANAGERS) {
      processes.add(
          planned(
              tm,
              ProcessRole.TASKMANAGER,
              commands.taskManager(tm, flinkConf, ports.metricsPort(tm)),
              layout.tmpDir(tm).toString(),
              "-"));
    }
    if (network != null) {
      processes.replaceAll(
          p ->
              new ClusterProcess(
                  p.name(),
                  p.role(),
                  0,
                  0,
                  network.wrap(p.name(), p.command()),
                  p.log(),
                  p.out(),
                  p.tmpDir(),
                  p.endpoint()));
    }
    return new ClusterState(
        layout.root().toString(),
        ports,
        clusterId,
        System.currentTimeMillis(),
        processes,
        secured,
        network);
  }

  private ClusterProcess planned(
      String name, ProcessRole role, List<String> command, String tmpDir, String endpoint) {
    return new ClusterProcess(
        name,
        role,
        0,
        0,
        command,
        layout.logFile(name).toString(),
        layout.outFile(name).toString(),
        tmpDir,
        endpoint);
  }

  /** Launches processes of a plan one by one, recording each in cluster.json as soon as it runs. */
  private final class Starter {
    private volatile ClusterState state;
    private volatile boolean completed;

    Starter(ClusterState plan) {
      this.state = plan;
      plan.save(layout);
    }

    ClusterState state() {
      return state;
    }

    void start(String name) {
      ClusterProcess launched = ProcessControl.launch(state.process(name));
      state = state.with(launched);
      state.save(layout);
      LOG.info("Started {} (pid {})", name, launched.pid());
    }

    void completed() {
      completed = true;
    }

    void stopAllQuietly() {
      if (completed) {
        return;
      }
      try {
        stopAll(state);
      } catch (RuntimeException e) {
        LOG.warn("Could not stop every process: {}", e.getMessage());
      }
    }
  }

  // ------------------------------------------------------------------------------------ waiting

  private void awaitZooKeeper(ClusterProcess zk, ClusterPorts ports) {
    await(
        zk,
        ZOOKEEPER_START,
        () -> !HealthProbe.zookeeperMode(ports.host("zookeeper"), ports.zookeeper()).isEmpty(),
        "ZooKeeper did not serve requests on port " + ports.zookeeper());
  }

  private void awaitBrokers(ClusterState state) {
    Deadline deadline = Deadline.in(KAFKA_START);
    boolean ready =
        deadline.await(
            () ->
                HealthProbe.liveBrokers(state.kafka(), PROBE_TIMEOUT).size()
                    == ClusterPorts.BROKERS,
            () -> firstDead(state.processes(ProcessRole.KAFKA)));
    if (!ready) {
      throw new IllegalStateException(
          "the three brokers did not form a cluster within "
              + KAFKA_START.toSeconds()
              + " s\n"
              + LogFiles.describe(state.process("kafka-1")));
    }
  }

  /** Until the JobManager's own REST API answers (a standby's once there is a leader). */
  private void awaitJobManager(ClusterState state, String name) {
    FlinkRestClient rest = state.rest(name);
    await(
        state.process(name),
        FLINK_START,
        rest::answers,
        name + "'s REST API did not answer at " + rest.baseUrl());
  }

  private void awaitTaskManagers(ClusterState state, List<String> names) {
    FlinkRestClient rest = state.rest();
    Deadline deadline = Deadline.in(FLINK_START);
    List<ClusterProcess> watched = new ArrayList<>(state.processes(ProcessRole.TASKMANAGER));
    watched.addAll(state.processes(ProcessRole.JOBMANAGER));
    boolean ready =
        deadline.await(
            () -> registeredTaskManagers(rest).containsAll(names), () -> firstDead(watched));
    if (!ready) {
      throw new IllegalStateException(
          "TaskManagers "
              + names
              + " did not register within "
              + FLINK_START.toSeconds()
              + " s\n"
              + LogFiles.describe(state.process(names.get(0))));
    }
  }

  private void await(
      ClusterProcess process,
      Duration timeout,
      java.util.function.BooleanSupplier ready,
      String what) {
    if (!Deadline.in(timeout).await(ready, () -> firstDead(List.of(process)))) {
      throw new IllegalStateException(
          what + " within " + timeout.toSeconds() + " s\n" + LogFiles.describe(process));
    }
  }

  /** A message about the first process that is not running any more, or null. */
  private String firstDead(List<ClusterProcess> processes) {
    for (ClusterProcess p : processes) {
      if (ProcessControl.live(p, layout).isEmpty()) {
        return p.name() + " (pid " + p.pid() + ") exited during start-up\n" + LogFiles.describe(p);
      }
    }
    return null;
  }

  static Set<String> registeredTaskManagers(FlinkRestClient rest) {
    try {
      return rest.taskManagers().stream()
          .map(FlinkRestClient.TaskManager::id)
          .collect(Collectors.toSet());
    } catch (IOException e) {
      return Set.of();
    }
  }

  // -------------------------------------------------------------------------------- restart
  // (chaos)

  /**
   * Starts a process of the cluster again with its recorded command (after a kill): its scratch
   * directory is emptied first (a killed TaskManager leaves 45-107 MB there). Saves the new pid.
   */
  public ClusterState restart(ClusterState state, String name) {
    ClusterProcess process = state.process(name);
    if (ProcessControl.live(process, layout).isPresent()) {
      throw new IllegalStateException(name + " (pid " + process.pid() + ") is still running");
    }
    if (process.tmpDir() != null) {
      FileTrees.deleteRecursively(Path.of(process.tmpDir()));
    }
    ClusterProcess launched = ProcessControl.launch(process);
    ClusterState updated = state.with(launched);
    updated.save(layout);
    LOG.info("Restarted {} (pid {})", name, launched.pid());
    return updated;
  }

  /**
   * Whether the process does its job (see {@link #status}); false while it is stopped or starting.
   */
  public boolean healthy(ClusterState state, String name) {
    return statusOf(state.process(name), new Probe(state)).healthy();
  }

  /** The JobManager that leads now, if one does (none during a leader election). */
  public Optional<String> leadingJobManager(ClusterState state) {
    ClusterPorts ports = state.ports();
    return state.processes(ProcessRole.JOBMANAGER).stream()
        .map(ClusterProcess::name)
        .filter(jm -> leads(ports, jm))
        .findFirst();
  }

  private static boolean leads(ClusterPorts ports, String jobManager) {
    return HealthProbe.leadsFlink(ports.host(jobManager), ports.metricsPort(jobManager));
  }

  // ------------------------------------------------------------------------------------- status

  public List<ProcessStatus> status(ClusterState state) {
    Probe probe = new Probe(state);
    return state.processes().stream().map(p -> statusOf(p, probe)).toList();
  }

  private ProcessStatus statusOf(ClusterProcess p, Probe probe) {
    if (ProcessControl.live(p, layout).isEmpty()) {
      return new ProcessStatus(p, false, false, false, "not running");
    }
    if (ProcessControl.isStopped(p.pid())) {
      return new ProcessStatus(p, true, true, false, "stopped (SIGSTOP): hung");
    }
    return switch (p.role()) {
      case ZOOKEEPER -> {
        String mode =
            HealthProbe.zookeeperMode(probe.ports.host("zookeeper"), probe.ports.zookeeper());
        yield new ProcessStatus(
            p,
            true,
            false,
            !mode.isEmpty(),
            mode.isEmpty() ? "not serving requests" : "serving (" + mode + ")");
      }
      case KAFKA -> {
        // The port opens only once the broker is up; the metadata may still list a killed
        // predecessor.
        boolean listening =
            HealthProbe.acceptsConnections(
                probe.ports.host(p.name()), probe.ports.kafka().get(p.brokerId() - 1));
        Set<Integer> brokers = probe.brokers();
        boolean inCluster = listening && brokers.contains(p.brokerId());
        yield new ProcessStatus(
            p,
            true,
            false,
            inCluster,
            inCluster
                ? "in the cluster"
                : !listening
                    ? "port not open (starting)"
                    : brokers.isEmpty() ? "no broker answers" : "not in the cluster (yet)");
      }
      case JOBMANAGER -> {
        List<FlinkRestClient.TaskManager> tms = probe.taskManagers(p.name());
        boolean answers = tms != null;
        int slots = answers ? tms.stream().mapToInt(FlinkRestClient.TaskManager::slots).sum() : 0;
        int free =
            answers ? tms.stream().mapToInt(FlinkRestClient.TaskManager::freeSlots).sum() : 0;
        yield new ProcessStatus(
            p,
            true,
            false,
            answers,
            answers
                ? (probe.leads(p.name()) ? "leader" : "standby")
                    + ", REST answers; "
                    + tms.size()
                    + " TaskManagers, "
                    + slots
                    + " slots ("
                    + free
                    + " free)"
                : "REST does not answer (starting, or no leader yet)");
      }
      case TASKMANAGER -> {
        List<FlinkRestClient.TaskManager> tms = probe.taskManagers();
        boolean registered = tms != null && tms.stream().anyMatch(tm -> tm.id().equals(p.name()));
        yield new ProcessStatus(
            p, true, false, registered, registered ? "registered" : "not registered");
      }
    };
  }

  /** Asks Kafka and Flink at most once per status check, and only what is needed. */
  private static final class Probe {
    private final ClusterState state;
    private final ClusterPorts ports;
    private Set<Integer> brokers;
    private List<FlinkRestClient.TaskManager> taskManagers;
    private boolean askedFlink;

    Probe(ClusterState state) {
      this.state = state;
      this.ports = state.ports();
    }

    Set<Integer> brokers() {
      if (brokers == null) {
        brokers = HealthProbe.liveBrokers(state.kafka(), PROBE_TIMEOUT);
      }
      return brokers;
    }

    /** The registered TaskManagers, or null when the REST API does not answer. */
    List<FlinkRestClient.TaskManager> taskManagers() {
      if (!askedFlink) {
        askedFlink = true;
        try {
          taskManagers = state.rest().taskManagers();
        } catch (IOException e) {
          taskManagers = null;
        }
      }
      return taskManagers;
    }

    /** As a JobManager's own REST endpoint lists them, or null when it does not answer. */
    List<FlinkRestClient.TaskManager> taskManagers(String jobManager) {
      try {
        return state.rest(jobManager).taskManagers();
      } catch (IOException e) {
        return null;
      }
    }

    boolean leads(String jobManager) {
      return ProcessCluster.leads(ports, jobManager);
    }
  }

  // --------------------------------------------------------------------------------------- down

  /**
   * Stops every process of the cluster (and stray ones carrying its marker), by pid; returns how
   * many.
   */
  public int down(Optional<ClusterState> state) {
    int stopped = state.map(this::stopAll).orElse(0);
    List<ProcessHandle> strays =
        ProcessControl.strays(layout, state.map(ClusterState::processes).orElse(List.of()));
    for (ProcessHandle stray : strays) {
      LOG.info("Stopping stray cluster process pid {}", stray.pid());
      ProcessControl.terminate(stray, STOP_GRACE);
      stopped++;
    }
    state.flatMap(ClusterState::ownNetwork).ifPresent(ClusterNetwork::delete);
    new BrokerDisks(layout).unmountAll();
    ClusterState.delete(layout);
    return stopped;
  }

  /**
   * TaskManagers, JobManager, brokers, ZooKeeper: the reverse start order; each role in parallel.
   */
  private int stopAll(ClusterState state) {
    int stopped = 0;
    List<ProcessRole> order = new ArrayList<>(List.of(ProcessRole.values()));
    order.sort(Comparator.reverseOrder());
    for (ProcessRole role : order) {
      List<ProcessHandle> handles = new ArrayList<>();
      for (ClusterProcess p : state.processes(role)) {
        ProcessControl.live(p, layout)
            .ifPresent(
                handle -> {
                  handles.add(handle);
                  LOG.info("Stopping {} (pid {})", p.name(), handle.pid());
                });
      }
      // Brokers stop together: the last one alone has no controller quorum for its controlled
      // shutdown and
      // would wait for it indefinitely, so they get a shorter grace (its log recovers at the next
      // start).
      Duration grace = role == ProcessRole.KAFKA ? BROKER_STOP_GRACE : STOP_GRACE;
      handles.parallelStream().forEach(handle -> ProcessControl.terminate(handle, grace));
      stopped += handles.size();
    }
    return stopped;
  }

  // ------------------------------------------------------------------------------------ helpers

  private void refuseIfRunning() {
    Optional<ClusterState> existing = ClusterState.load(layout);
    if (existing.isEmpty()) {
      return;
    }
    long alive =
        existing.get().processes().stream()
            .filter(p -> ProcessControl.live(p, layout).isPresent())
            .count();
    if (alive == existing.get().processes().size()) {
      throw new AlreadyRunningException(
          "a cluster is already running under "
              + layout.root()
              + " ('bin/tally cluster status' shows it)");
    }
    if (alive > 0) {
      throw new IllegalStateException(
          alive
              + " of the cluster's "
              + existing.get().processes().size()
              + " processes are still running under "
              + layout.root()
              + ": run 'bin/tally cluster down' first");
    }
  }

  /** Thrown by {@link #up} when the cluster is already up. */
  public static final class AlreadyRunningException extends IllegalStateException {
    AlreadyRunningException(String message) {
      super(message);
    }
  }

  private static void requireFree(ClusterPorts ports) {
    List<String> taken = new ArrayList<>();
    for (String entry : ports.describeAll()) {
      int port = Integer.parseInt(entry.substring(0, entry.indexOf(' ')));
      if (!isFree(port)) {
        taken.add(entry);
      }
    }
    if (!taken.isEmpty()) {
      throw new IllegalStateException(
          "ports in use: "
              + String.join(", ", taken)
              + "; stop what uses them or choose other ports (see 'bin/tally cluster up --help')");
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("localhost", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The cluster id the brokers' storage was formatted with, when this work dir had a cluster
   * before.
   */
  private Optional<String> existingKafkaClusterId() {
    Path meta = layout.brokerDataDir(1).resolve("meta.properties");
    if (!Files.isRegularFile(meta)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + meta, e);
    }
    return Optional.ofNullable(properties.getProperty("cluster.id"));
  }

  private static String line(String what, ClusterProcess p, long startedNanos) {
    return String.format(
        "%-10s up at %s (pid %d) after %s",
        what + ":", p.endpoint(), p.pid(), seconds(startedNanos));
  }

  static String seconds(long startedNanos) {
    return String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - startedNanos) / 1e9);
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs now
    }
  }
}
