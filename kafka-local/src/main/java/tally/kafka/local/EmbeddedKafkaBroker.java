package tally.kafka.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft combined mode: broker and controller) running in a child JVM
 * started from the jars on this JVM's classpath: no Docker, no download, and a real process that
 * tests can {@link #kill()} and {@link #restart()} to simulate a crash.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().start()) {
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 *
 * <p>Layout of the work dir: {@code server.properties}, {@code log4j2.xml}, {@code data/} (log dirs
 * and KRaft metadata), {@code broker.log} (the broker's log4j2 output: WARN, plus start/stop lines)
 * and {@code broker.out} (its stdout and stderr); in secured mode also {@code tls/}, {@code
 * clients/} and {@code broker-config.log} (see below). A temp work dir is deleted on {@link
 * #close()}; a given one is kept. When the broker JVM fails to start the work dir is kept, for
 * inspection (its path and log tails are in the exception); when already formatting fails (a bad
 * property) a temp work dir is deleted.
 *
 * <p>The broker JVM watches this JVM and stops itself if this JVM dies without running its shutdown
 * hooks (see {@link BrokerMain}).
 *
 * <h2>Secured mode</h2>
 *
 * {@link Builder#security(BrokerSecurity)} with {@link BrokerSecurity#SASL_SSL_SCRAM} or {@link
 * BrokerSecurity#MUTUAL_TLS} (the default stays {@link BrokerSecurity#PLAINTEXT}):
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().security(BrokerSecurity.SASL_SSL_SCRAM).start()) {
 *     try (Admin admin = Admin.create(kafka.clientProperties("admin"))) { ... create topics and ACLs ... }
 *     Properties ledger = kafka.clientProperties("ledger");       // add producer/consumer settings to it
 *     Path ledgerFile = kafka.clientPropertiesFile("ledger");     // for a tool's --kafka-properties FILE
 * }
 * }</pre>
 *
 * What is set up, and why:
 *
 * <ul>
 *   <li><b>TLS material</b> ({@code tls/}, generated at start-up by {@link TlsMaterial}, no key in
 *       the repository): a fresh CA, a broker certificate with SAN {@code DNS:localhost} and {@code
 *       IP:127.0.0.1} (what clients connect to; Kafka clients verify the host name by default), a
 *       PKCS12 truststore holding only the CA, and with mutual TLS a client certificate per
 *       principal. The CA's private key is never written: nothing can issue another certificate
 *       this broker trusts.
 *   <li><b>Listeners</b>: exactly two. The client listener ({@code SASL_SSL}, or {@code SSL} with
 *       {@code ssl.client.auth=required}) also carries inter-broker traffic, so there is no
 *       PLAINTEXT port at all. The controller listener is TLS with a required client certificate,
 *       which only the broker has (principal {@code User:broker}): SCRAM cannot protect a KRaft
 *       controller listener, and on a PLAINTEXT one the broker's own connections would be {@code
 *       User:ANONYMOUS}, which would then have to be a super user: any local process could use the
 *       controller's APIs.
 *   <li><b>SCRAM-SHA-512</b> (the stronger SCRAM; PLAIN would send the password itself):
 *       credentials for every principal and for the broker's own inter-broker login are written
 *       into the metadata log at storage-format time ({@code --add-scram}), so they exist before
 *       the first request. Passwords are 32 random letters and digits from {@link
 *       java.security.SecureRandom}, new for every {@code start()}, kept by {@link #restart()}.
 *   <li><b>Mutual TLS</b>: {@code ssl.principal.mapping.rules} turns the subject {@code CN=ledger}
 *       into {@code User:ledger}, so the same ACLs work in both modes; any other subject keeps its
 *       full DN and has no ACLs.
 *   <li><b>Authorization</b>: KRaft's {@code StandardAuthorizer} with {@code
 *       allow.everyone.if.no.acl.found=false} (deny by default: a principal can do only what an ACL
 *       grants) and {@code super.users=User:admin;User:broker} (the admin creates topics and ACLs;
 *       the broker needs cluster rights for its own traffic).
 *   <li><b>Principals</b>: {@link BrokerSecurity#DEFAULT_PRINCIPALS} (admin, ledger, revenue,
 *       generator, auditor) or {@link Builder#principals(List)}; each gets {@code
 *       clients/<name>.properties}.
 *   <li><b>Secrets</b> are only in files readable by their owner (0600; directories 0700): {@code
 *       server.properties}, {@code clients/*.properties}, the keystores. Never on a command line
 *       (the broker JVM's is visible in {@code ps}: it gets only the path of {@code
 *       server.properties}), in a log line of this module, or in an exception message: Kafka prints
 *       password-typed settings as {@code [hidden]}, and text from Kafka that this module quotes in
 *       an exception has every secret replaced by {@code [hidden]}.
 *   <li><b>Logging</b>: a secured broker's {@code broker.log} also shows failed authentications and
 *       denied operations ({@code kafka.authorizer.logger}), to see why a client is refused; its
 *       configuration (passwords hidden) goes to {@code broker-config.log}.
 * </ul>
 *
 * A PLAINTEXT client against the secured port gets a TLS alert and is disconnected; Kafka clients
 * just retry until their timeout ("Timed out waiting for a node assignment"). A wrong password
 * fails at once with {@code SaslAuthenticationException}, a missing or foreign certificate with
 * {@code SslAuthenticationException}, a missing ACL with {@code TopicAuthorizationException} /
 * {@code GroupAuthorizationException}. A temp work dir, secrets included, is deleted on {@link
 * #close()}; a given one keeps them.
 *
 * <p>Requirements: {@code org.apache.kafka:kafka_2.13} and this module on the classpath (they are
 * compile dependencies of this module). Under Surefire {@code java.class.path} is a manifest-only
 * jar; that works as {@code -cp} too. Where {@code java.class.path} is not the application's
 * classpath (e.g. {@code mvn exec:java}), pass one with {@link Builder#classpath(String)}.
 */
public final class EmbeddedKafkaBroker implements KafkaCluster {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final int CONNECT_TIMEOUT_MS = 500;
  private static final String HOST = "localhost";

  private final BrokerWorkDir workDir;
  private final boolean ownsWorkDir;
  private final int port;
  private final Duration startupTimeout;
  private final List<String> command;
  private final Thread shutdownHook;

  /** Null in PLAINTEXT mode. */
  private final BrokerSecuritySetup security;

  private volatile Process process;
  private boolean closed;

  private EmbeddedKafkaBroker(
      BrokerWorkDir workDir,
      boolean ownsWorkDir,
      int port,
      Duration startupTimeout,
      String classpath,
      BrokerSecuritySetup security) {
    this.workDir = workDir;
    this.security = security;
    this.ownsWorkDir = ownsWorkDir;
    this.port = port;
    this.startupTimeout = startupTimeout;
    this.command = brokerCommand(workDir, classpath);
    this.shutdownHook = new Thread(this::stopOnJvmExit, "tally-embedded-kafka-shutdown");
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  @Override
  public String describe() {
    return "embedded KRaft broker "
        + AppInfoParser.getVersion()
        + " (pid "
        + pid()
        + ") at "
        + bootstrapServers()
        + (security == null ? "" : ", " + security.mode());
  }

  /** The port of the client listener (the only one clients can use): PLAINTEXT, SASL_SSL or SSL. */
  public int port() {
    return port;
  }

  @Override
  public BrokerSecurity security() {
    return security == null ? BrokerSecurity.PLAINTEXT : security.mode();
  }

  /**
   * The principals of a secured broker, {@value BrokerSecurity#ADMIN} first; empty in PLAINTEXT
   * mode.
   */
  @Override
  public List<String> principals() {
    return security == null ? List.of() : security.principals();
  }

  /**
   * Client settings for this principal: bootstrap servers, security protocol, SASL login or
   * keystore, truststore. A fresh copy each call, to add producer or consumer settings to.
   * PLAINTEXT: {@code bootstrap.servers} only.
   *
   * @throws IllegalArgumentException if a secured broker has no such principal
   */
  @Override
  public Properties clientProperties(String principal) {
    if (security == null) {
      return KafkaCluster.super.clientProperties(principal);
    }
    return security.clientPropertiesObject(principal, bootstrapServers());
  }

  /**
   * The same settings as a file ({@code <work dir>/clients/<principal>.properties}, mode 0600),
   * e.g. for a tool's {@code --kafka-properties FILE} or Kafka's {@code --command-config FILE}.
   *
   * @throws IllegalStateException in PLAINTEXT mode, which writes no such files
   * @throws IllegalArgumentException if there is no such principal
   */
  @Override
  public Path clientPropertiesFile(String principal) {
    if (security == null) {
      return KafkaCluster.super.clientPropertiesFile(principal);
    }
    security.requirePrincipal(principal);
    return BrokerSecuritySetup.clientFile(workDir.clientsDir(), principal);
  }

  /**
   * Secured mode: the CA certificate (PEM) that signed the broker's certificate; its private key
   * was never stored.
   */
  public Path caCertificate() {
    if (security == null) {
      throw new IllegalStateException(describe() + " is PLAINTEXT: it has no certificates");
    }
    return security.tls().caCertificate();
  }

  /**
   * Process id of the current broker JVM (changes on {@link #restart()}), -1 if none was started.
   */
  public long pid() {
    Process current = process;
    return current == null ? -1 : current.pid();
  }

  public Path workDir() {
    return workDir.root();
  }

  /** Whether the broker JVM is running (it may not be ready yet, or any more). */
  public boolean isRunning() {
    Process current = process;
    return current != null && current.isAlive();
  }

  /**
   * Simulates a crash: SIGKILL to the broker JVM, no clean shutdown. Returns once the process is
   * gone and its ports are free. {@link #restart()} brings it back on the same ports and data.
   */
  public synchronized void kill() {
    requireOpen();
    Process current = process;
    if (current == null || !current.isAlive()) {
      LOG.info("Embedded Kafka broker at {} is not running, nothing to kill", bootstrapServers());
      return;
    }
    current.destroyForcibly();
    boolean gone = waitForExit(current, STOP_TIMEOUT);
    LOG.info(
        "Killed (SIGKILL) embedded Kafka broker pid {} at {}{}",
        current.pid(),
        bootstrapServers(),
        gone ? "" : " - still alive after " + STOP_TIMEOUT.toSeconds() + " s");
  }

  /**
   * Starts the broker again on the same ports and log dirs, without reformatting: after {@link
   * #kill()} this is crash recovery. A broker that is still running is first stopped cleanly
   * (SIGTERM).
   */
  public synchronized void restart() {
    requireOpen();
    Process current = process;
    if (current != null && current.isAlive()) {
      stop(current);
    }
    long started = System.nanoTime();
    Process launched = launchAndAwaitReady();
    LOG.info(
        "Restarted embedded Kafka broker pid {} at {}: ready in {} ms",
        launched.pid(),
        bootstrapServers(),
        elapsedMillis(started));
  }

  /**
   * SIGTERM, up to 10 s for a clean stop, then SIGKILL; deletes the work dir if it is a temp dir.
   * Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    removeShutdownHook();
    Process current = process;
    if (current != null && current.isAlive()) {
      long started = System.nanoTime();
      stop(current);
      LOG.info(
          "Stopped embedded Kafka broker pid {} at {} in {} ms",
          current.pid(),
          bootstrapServers(),
          elapsedMillis(started));
    }
    if (ownsWorkDir) {
      workDir.deleteRecursively();
    }
  }

  private void start() {
    long started = System.nanoTime();
    try {
      StorageFormatter.format(
          workDir.serverProperties(),
          Uuid.randomUuid().toString(),
          security == null ? List.of() : security.scramFormatArguments(),
          this::redact);
    } catch (KafkaStartException e) {
      if (ownsWorkDir) {
        workDir.deleteRecursively(); // holds only config and TLS files; the message says what was
        // wrong
      }
      throw e;
    }
    long formatMillis = elapsedMillis(started);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    Process launched = launchAndAwaitReady();
    LOG.info(
        "Started embedded Kafka broker pid {} at {}: ready in {} ms ({} ms formatting storage),"
            + " work dir {}",
        launched.pid(),
        bootstrapServers(),
        elapsedMillis(started),
        formatMillis,
        workDir.root());
  }

  private Process launchAndAwaitReady() {
    long started = System.nanoTime();
    Process launched = launch();
    awaitReady(launched, started);
    return launched;
  }

  private Process launch() {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.brokerOut().toFile()));
    try {
      process = builder.start();
      return process;
    } catch (IOException e) {
      removeShutdownHook();
      closed = true;
      throw new KafkaStartException(
          "cannot start the broker JVM " + command.get(0) + ": " + e.getMessage(), e);
    }
  }

  /**
   * The client port opens only once the broker is fully up, so a TCP connect is a valid readiness
   * check, with TLS too: the probe needs no handshake.
   */
  private void awaitReady(Process launched, long startedNanos) {
    long deadline = startedNanos + startupTimeout.toNanos();
    while (true) {
      if (!launched.isAlive()) {
        throw startFailure(
            "the broker JVM (pid "
                + launched.pid()
                + ") exited with code "
                + launched.exitValue()
                + " during start-up");
      }
      if (acceptsConnections()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        stop(launched);
        throw startFailure(
            "the broker (pid "
                + launched.pid()
                + ") did not open "
                + bootstrapServers()
                + " within "
                + startupTimeout.toMillis()
                + " ms");
      }
      try {
        Thread.sleep(POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop(launched);
        throw startFailure("interrupted while waiting for the broker to start");
      }
    }
  }

  private boolean acceptsConnections() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), CONNECT_TIMEOUT_MS);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private KafkaStartException startFailure(String reason) {
    removeShutdownHook();
    closed = true;
    return new KafkaStartException(
        redact(
            "Embedded Kafka broker failed to start: "
                + reason
                + ". Work dir (kept for inspection): "
                + workDir.root()
                + "\n"
                + workDir.describeLogs()));
  }

  /**
   * Kafka hides password-typed settings itself; this is the second line of defence for what we
   * quote.
   */
  private String redact(String text) {
    return security == null ? text : security.redact(text);
  }

  private void stopOnJvmExit() {
    // No logging here: the logging framework may already be shut down.
    Process current = process;
    if (current != null && current.isAlive()) {
      stop(current);
    }
    if (ownsWorkDir) {
      try {
        workDir.deleteRecursively();
      } catch (UncheckedIOException e) {
        // Best effort at JVM exit.
      }
    }
  }

  private static void stop(Process target) {
    target.destroy();
    if (!waitForExit(target, STOP_TIMEOUT)) {
      target.destroyForcibly();
      waitForExit(target, STOP_TIMEOUT);
    }
  }

  private static boolean waitForExit(Process target, Duration timeout) {
    try {
      return target.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      target.destroyForcibly();
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void removeShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException jvmAlreadyShuttingDown) {
      // The hook is running or about to; nothing to undo.
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(
          "embedded Kafka broker at " + bootstrapServers() + " is closed");
    }
  }

  private static long elapsedMillis(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  private static List<String> brokerCommand(BrokerWorkDir workDir, String classpath) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // C1 only and serial GC: about half the start-up CPU, which counts on 2 cores.
    cmd.addAll(
        List.of(
            "-Xmx512m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.awt.headless=true"));
    cmd.add("-Dlog4j2.configurationFile=" + workDir.log4jConfig());
    // Log4j's own hook would stop logging while Kafka's shutdown hook still logs its stop.
    cmd.add("-Dlog4j2.shutdownHookEnabled=false");
    cmd.add("-Dkafka.logs.dir=" + workDir.root());
    cmd.add("-D" + BrokerMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(BrokerMain.class.getName());
    cmd.add(workDir.serverProperties().toString());
    return cmd;
  }

  static Map<String, String> serverProperties(
      int port, int controllerPort, Path dataDir, Map<String, String> tuning) {
    return serverProperties(port, controllerPort, dataDir, null, tuning);
  }

  /**
   * {@code security} null: PLAINTEXT listeners; otherwise its listeners, TLS, SASL and authorizer
   * settings.
   */
  static Map<String, String> serverProperties(
      int port,
      int controllerPort,
      Path dataDir,
      BrokerSecuritySetup security,
      Map<String, String> tuning) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    // A dynamic quorum (formatted with --standalone) is found through bootstrap servers, not fixed
    // voters.
    p.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
    if (security == null) {
      p.put(
          "listeners",
          "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
      p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
      p.put("controller.listener.names", "CONTROLLER");
      p.put("inter.broker.listener.name", "PLAINTEXT");
      p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    } else {
      p.putAll(security.serverProperties(HOST, port, controllerPort));
    }
    p.put("log.dirs", dataDir.toString());
    // After a kill -9 the restarted controller keeps the dead incarnation's session until it
    // expires, and
    // the broker cannot register before: 9 s by default, 13 s restarts. 6 s still allows a 5 s
    // stall.
    p.put("broker.session.timeout.ms", "6000");
    p.put("broker.heartbeat.interval.ms", "1000");
    p.putAll(tuning);
    return p;
  }

  /**
   * Options for one embedded broker; {@link #start()} formats the storage and waits until it is
   * ready.
   */
  public static final class Builder {
    private int port;
    private Path workDir;
    private final KafkaClusterOptions.Builder options = KafkaClusterOptions.builder();
    private String classpath = System.getProperty("java.class.path");

    private Builder() {}

    /**
     * Port of the client listener; 0 (the default) picks a free one. A taken port fails {@link
     * #start()}.
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Keep data and logs here (created if missing, must not hold a formatted broker yet); default:
     * a temp dir deleted on close.
     */
    public Builder workDir(Path workDir) {
      this.workDir = Objects.requireNonNull(workDir, "workDir");
      return this;
    }

    /**
     * Any broker property; overrides {@link SingleBrokerDefaults} and, at your own risk, the
     * listener setup.
     */
    public Builder brokerProperty(String key, String value) {
      options.brokerProperty(key, value);
      return this;
    }

    /** Partitions of {@code __transaction_state} (default 1). */
    public Builder transactionStateLogPartitions(int partitions) {
      options.transactionStateLogPartitions(partitions);
      return this;
    }

    /** How long to wait for the port to open (default 60 s; a busy 2-core box needs up to 12 s). */
    public Builder startupTimeout(Duration timeout) {
      options.startupTimeout(timeout);
      return this;
    }

    /**
     * {@link BrokerSecurity#PLAINTEXT} (default), {@link BrokerSecurity#SASL_SSL_SCRAM} or {@link
     * BrokerSecurity#MUTUAL_TLS}: see the class comment for what a secured broker sets up.
     */
    public Builder security(BrokerSecurity security) {
      options.security(security);
      return this;
    }

    /**
     * The principals of a secured broker, each with its SCRAM credential (random password) or
     * client certificate, and its client properties file. {@value BrokerSecurity#ADMIN}, the super
     * user, is added if missing. Default {@link BrokerSecurity#DEFAULT_PRINCIPALS}; ignored in
     * PLAINTEXT mode.
     */
    public Builder principals(List<String> principals) {
      options.principals(principals);
      return this;
    }

    public Builder principals(String... principals) {
      return principals(List.of(principals));
    }

    /**
     * Applies provider-neutral options: their broker properties, start-up timeout, port, security
     * and principals.
     */
    public Builder options(KafkaClusterOptions clusterOptions) {
      clusterOptions.brokerProperties().forEach(options::brokerProperty);
      options.startupTimeout(clusterOptions.startupTimeout());
      options.security(clusterOptions.security());
      options.principals(clusterOptions.principals());
      if (clusterOptions.preferredPort() > 0) {
        port(FreePorts.preferring(clusterOptions.preferredPort()));
      }
      return this;
    }

    /**
     * Classpath of the broker JVM; default {@code java.class.path}. Must hold kafka_2.13 and this
     * module.
     */
    public Builder classpath(String classpath) {
      this.classpath = Objects.requireNonNull(classpath, "classpath");
      return this;
    }

    /** Formats the storage, starts the broker JVM and returns once it accepts connections. */
    public EmbeddedKafkaBroker start() {
      // A port picked as free can be taken by another process before the broker binds it
      // (tests and helpers start brokers side by side); with picked ports, pick again.
      int attempts = port == 0 && workDir == null ? 3 : 1;
      for (int attempt = 1; ; attempt++) {
        try {
          return startOnce();
        } catch (KafkaStartException e) {
          if (attempt >= attempts || !isPortClash(e)) {
            throw e;
          }
          LOG.warn(
              "Embedded Kafka broker lost its port to another process; starting again on other"
                  + " ports (attempt {} of {})",
              attempt + 1,
              attempts);
        }
      }
    }

    private static boolean isPortClash(KafkaStartException e) {
      String message = String.valueOf(e.getMessage());
      return message.contains("Address already in use")
          || message.contains("BindException")
          || message.contains("kafka.network.SocketServer"); // the stack of a failed bind
    }

    private EmbeddedKafkaBroker startOnce() {
      KafkaClusterOptions resolved = options.build();
      int brokerPort = FreePorts.resolve(port, "Kafka PLAINTEXT");
      int controllerPort = pickOtherThan(brokerPort);
      BrokerWorkDir dir =
          new BrokerWorkDir(workDir == null ? createTempDir() : createDirs(workDir));
      if (dir.isFormatted()) {
        throw new IllegalStateException(
            "work dir "
                + dir.root()
                + " already holds a formatted Kafka log dir;"
                + " use an empty work dir, or restart() on the broker that owns it");
      }
      BrokerSecuritySetup security = null;
      if (resolved.security().isSecured()) {
        long started = System.nanoTime();
        security =
            BrokerSecuritySetup.generate(resolved.security(), resolved.principals(), dir.tlsDir());
        security.writeClientFiles(dir.clientsDir(), HOST + ":" + brokerPort);
        LOG.info(
            "Embedded Kafka broker security {}: principals {}, TLS files and client properties in"
                + " {} ({} ms)",
            resolved.security(),
            security.principals(),
            dir.root(),
            elapsedMillis(started));
      }
      dir.writeServerProperties(
          serverProperties(
              brokerPort,
              controllerPort,
              dir.dataDir(),
              security,
              resolved.effectiveBrokerProperties()));
      dir.writeLog4jConfig(security != null);
      LOG.info(
          "Starting embedded Kafka broker at {}:{} ({}, controller port {}), work dir {}",
          HOST,
          brokerPort,
          resolved.security(),
          controllerPort,
          dir.root());
      EmbeddedKafkaBroker broker =
          new EmbeddedKafkaBroker(
              dir, workDir == null, brokerPort, resolved.startupTimeout(), classpath, security);
      try {
        broker.start();
      } catch (KafkaStartException e) {
        if (workDir == null && isPortClash(e)) {
          dir.deleteRecursively(); // nothing to inspect: it is retried elsewhere
        }
        throw e;
      }
      return broker;
    }

    private static int pickOtherThan(int taken) {
      // The broker port is not bound yet, so the OS may hand it out again.
      int candidate = FreePorts.pick();
      while (candidate == taken) {
        candidate = FreePorts.pick();
      }
      return candidate;
    }

    private static Path createTempDir() {
      try {
        return Files.createTempDirectory("tally-kafka-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temp work dir for the broker", e);
      }
    }

    private static Path createDirs(Path dir) {
      try {
        return Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the broker work dir " + dir, e);
      }
    }
  }
}
