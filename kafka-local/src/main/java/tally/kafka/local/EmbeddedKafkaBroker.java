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
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft combined mode: broker and controller) running in a child JVM started
 * from the jars on this JVM's classpath: no Docker, no download, and a real process that tests can
 * {@link #kill()} and {@link #restart()} to simulate a crash.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().start()) {
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 *
 * <p>Layout of the work dir: {@code server.properties}, {@code log4j2.xml}, {@code data/} (log dirs and
 * KRaft metadata), {@code broker.log} (the broker's log4j2 output: WARN, plus start/stop lines) and
 * {@code broker.out} (its stdout and stderr). A temp work dir is deleted on {@link #close()}; a given one is kept.
 * When the broker JVM fails to start the work dir is kept, for inspection (its path and log tails are in the
 * exception); when already formatting fails (a bad property) a temp work dir is deleted.
 *
 * <p>The broker JVM watches this JVM and stops itself if this JVM dies without running its shutdown hooks
 * (see {@link BrokerMain}).
 *
 * <p>Requirements: {@code org.apache.kafka:kafka_2.13} and this module on the classpath (they are compile
 * dependencies of this module). Under Surefire {@code java.class.path} is a manifest-only jar; that works
 * as {@code -cp} too. Where {@code java.class.path} is not the application's classpath (e.g. {@code mvn exec:java}),
 * pass one with {@link Builder#classpath(String)}.
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

    private volatile Process process;
    private boolean closed;

    private EmbeddedKafkaBroker(BrokerWorkDir workDir, boolean ownsWorkDir, int port, Duration startupTimeout,
                                String classpath) {
        this.workDir = workDir;
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
        return "embedded KRaft broker " + AppInfoParser.getVersion() + " (pid " + pid() + ") at " + bootstrapServers();
    }

    /** The PLAINTEXT port clients connect to. */
    public int port() {
        return port;
    }

    /** Process id of the current broker JVM (changes on {@link #restart()}), -1 if none was started. */
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
     * Simulates a crash: SIGKILL to the broker JVM, no clean shutdown. Returns once the process is gone
     * and its ports are free. {@link #restart()} brings it back on the same ports and data.
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
        LOG.info("Killed (SIGKILL) embedded Kafka broker pid {} at {}{}", current.pid(), bootstrapServers(),
                gone ? "" : " - still alive after " + STOP_TIMEOUT.toSeconds() + " s");
    }

    /**
     * Starts the broker again on the same ports and log dirs, without reformatting: after {@link #kill()}
     * this is crash recovery. A broker that is still running is first stopped cleanly (SIGTERM).
     */
    public synchronized void restart() {
        requireOpen();
        Process current = process;
        if (current != null && current.isAlive()) {
            stop(current);
        }
        long started = System.nanoTime();
        Process launched = launchAndAwaitReady();
        LOG.info("Restarted embedded Kafka broker pid {} at {}: ready in {} ms", launched.pid(), bootstrapServers(),
                elapsedMillis(started));
    }

    /** SIGTERM, up to 10 s for a clean stop, then SIGKILL; deletes the work dir if it is a temp dir. Idempotent. */
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
            LOG.info("Stopped embedded Kafka broker pid {} at {} in {} ms", current.pid(), bootstrapServers(),
                    elapsedMillis(started));
        }
        if (ownsWorkDir) {
            workDir.deleteRecursively();
        }
    }

    private void start() {
        long started = System.nanoTime();
        try {
            StorageFormatter.format(workDir.serverProperties(), Uuid.randomUuid().toString());
        } catch (KafkaStartException e) {
            if (ownsWorkDir) {
                workDir.deleteRecursively(); // holds only the two config files; the message says what was wrong
            }
            throw e;
        }
        long formatMillis = elapsedMillis(started);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Process launched = launchAndAwaitReady();
        LOG.info("Started embedded Kafka broker pid {} at {}: ready in {} ms ({} ms formatting storage), work dir {}",
                launched.pid(), bootstrapServers(), elapsedMillis(started), formatMillis, workDir.root());
    }

    private Process launchAndAwaitReady() {
        long started = System.nanoTime();
        Process launched = launch();
        awaitReady(launched, started);
        return launched;
    }

    private Process launch() {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.brokerOut().toFile()));
        try {
            process = builder.start();
            return process;
        } catch (IOException e) {
            removeShutdownHook();
            closed = true;
            throw new KafkaStartException("cannot start the broker JVM " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** The PLAINTEXT port opens only once the broker is fully up, so a TCP connect is a valid readiness check. */
    private void awaitReady(Process launched, long startedNanos) {
        long deadline = startedNanos + startupTimeout.toNanos();
        while (true) {
            if (!launched.isAlive()) {
                throw startFailure("the broker JVM (pid " + launched.pid() + ") exited with code "
                        + launched.exitValue() + " during start-up");
            }
            if (acceptsConnections()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                stop(launched);
                throw startFailure("the broker (pid " + launched.pid() + ") did not open " + bootstrapServers()
                        + " within " + startupTimeout.toMillis() + " ms");
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
        return new KafkaStartException("Embedded Kafka broker failed to start: " + reason
                + ". Work dir (kept for inspection): " + workDir.root() + "\n" + workDir.describeLogs());
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
            throw new IllegalStateException("embedded Kafka broker at " + bootstrapServers() + " is closed");
        }
    }

    private static long elapsedMillis(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static List<String> brokerCommand(BrokerWorkDir workDir, String classpath) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // C1 only and serial GC: about half the start-up CPU, which counts on 2 cores.
        cmd.addAll(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
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

    static Map<String, String> serverProperties(int port, int controllerPort, Path dataDir, Map<String, String> tuning) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        // A dynamic quorum (formatted with --standalone) is found through bootstrap servers, not fixed voters.
        p.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.toString());
        // After a kill -9 the restarted controller keeps the dead incarnation's session until it expires, and
        // the broker cannot register before: 9 s by default, 13 s restarts. 6 s still allows a 5 s stall.
        p.put("broker.session.timeout.ms", "6000");
        p.put("broker.heartbeat.interval.ms", "1000");
        p.putAll(tuning);
        return p;
    }

    /** Options for one embedded broker; {@link #start()} formats the storage and waits until it is ready. */
    public static final class Builder {
        private int port;
        private Path workDir;
        private final KafkaClusterOptions.Builder options = KafkaClusterOptions.builder();
        private String classpath = System.getProperty("java.class.path");

        private Builder() {
        }

        /** PLAINTEXT port for clients; 0 (the default) picks a free one. A taken port fails {@link #start()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Keep data and logs here (created if missing, must not hold a formatted broker yet); default: a temp dir deleted on close. */
        public Builder workDir(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir, "workDir");
            return this;
        }

        /** Any broker property; overrides {@link SingleBrokerDefaults} and, at your own risk, the listener setup. */
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

        /** Applies provider-neutral options: their broker properties and start-up timeout. */
        public Builder options(KafkaClusterOptions clusterOptions) {
            clusterOptions.brokerProperties().forEach(options::brokerProperty);
            options.startupTimeout(clusterOptions.startupTimeout());
            if (clusterOptions.preferredPort() > 0) {
                port(FreePorts.preferring(clusterOptions.preferredPort()));
            }
            return this;
        }

        /** Classpath of the broker JVM; default {@code java.class.path}. Must hold kafka_2.13 and this module. */
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
                    LOG.warn("Embedded Kafka broker lost its port to another process; starting again on other ports"
                            + " (attempt {} of {})", attempt + 1, attempts);
                }
            }
        }

        private static boolean isPortClash(KafkaStartException e) {
            String message = String.valueOf(e.getMessage());
            return message.contains("Address already in use") || message.contains("BindException")
                    || message.contains("kafka.network.SocketServer"); // the stack of a failed bind
        }

        private EmbeddedKafkaBroker startOnce() {
            KafkaClusterOptions resolved = options.build();
            int brokerPort = FreePorts.resolve(port, "Kafka PLAINTEXT");
            int controllerPort = pickOtherThan(brokerPort);
            BrokerWorkDir dir = new BrokerWorkDir(workDir == null ? createTempDir() : createDirs(workDir));
            if (dir.isFormatted()) {
                throw new IllegalStateException("work dir " + dir.root() + " already holds a formatted Kafka log dir;"
                        + " use an empty work dir, or restart() on the broker that owns it");
            }
            dir.writeServerProperties(serverProperties(brokerPort, controllerPort, dir.dataDir(),
                    resolved.effectiveBrokerProperties()));
            dir.writeLog4jConfig();
            LOG.info("Starting embedded Kafka broker at {}:{} (controller port {}), work dir {}", HOST, brokerPort,
                    controllerPort, dir.root());
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, workDir == null, brokerPort,
                    resolved.startupTimeout(), classpath);
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
