package tally.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.cluster.TallyHome;
import tally.connectors.kafka.KafkaConnection;
import tally.jobs.common.CheckpointIntervalOption;
import tally.jobs.common.Delivery;
import tally.jobs.common.Topics;
import tally.support.FileTrees;

/**
 * What a user runs on one machine: {@code bin/tally run ledger} as a child process of its own, cold
 * (a new JVM: class loading, JIT, MiniCluster start-up and the job's deployment all count), on the
 * bench's broker and a backlog preloaded as for every other run. Measured from outside: wall time
 * from the process's start until its consumer group has committed the whole input, the committed
 * offsets' steady rate, and the child's CPU from {@code /proc/<pid>/stat} ({@code bin/tally} execs
 * java, so the child's pid is the JVM's). Stopped with SIGTERM, as Ctrl-C stops it; its output is
 * audited.
 */
final class ColdProcessRun {
  private static final Logger LOG = LoggerFactory.getLogger(ColdProcessRun.class);
  static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(20);
  static final Duration STOP_GRACE = Duration.ofSeconds(60);

  private final BenchEnvironment env;
  private final ColdVariant variant;
  private final String contender;

  ColdProcessRun(BenchEnvironment env, ColdVariant variant) {
    this.env = env;
    this.variant = variant;
    this.contender = variant.contender();
  }

  UserRunResult execute() throws Exception {
    BenchSettings settings = env.settings;
    long records = settings.records();
    Path root = TallyHome.locate().root();
    requireBuilt(root);
    String name =
        env.nextRunName(
            "cold-"
                + (variant.delivery() == Delivery.EXACTLY_ONCE ? "eo" : "alo")
                + (variant.profiled() ? "-profiled" : variant.shipped() ? "" : "-before"));
    Topics topics = Backlog.topics(name);
    Path workDir = env.workDir.resolve(name);
    Files.createDirectories(workDir);
    Path log = workDir.resolve("tally-run.log");
    Process child = null;
    try {
      Backlog.preload(env.admin, env.bootstrapServers(), topics, settings, records);
      List<String> command =
          command(
              root.resolve("bin/tally"),
              env.bootstrapServers(),
              topics,
              name,
              variant,
              settings,
              workDir.resolve("run"));
      LOG.info(
          "Bench {}: {}: {} records preloaded, starting {}",
          name,
          contender,
          Format.integer(records),
          String.join(" ", command));
      Path recording = env.workDir.resolve(name + ".jfr");
      Path stacks = env.workDir.resolve(name + ".collapsed");
      Optional<Path> profiler =
          variant.profiled() ? NativeProfile.library(env.workDir) : Optional.empty();
      ProcessBuilder builder = new ProcessBuilder(command);
      if (variant.profiled()) {
        // bin/tally's own default heap, plus a profile written when the JVM exits on SIGTERM:
        // native stacks where async-profiler runs (RocksDB's time is native), else JFR.
        builder
            .environment()
            .put(
                "TALLY_JAVA_OPTS",
                "-Xmx2g "
                    + profiler
                        .map(library -> NativeProfile.agentOption(library, stacks))
                        .orElse(
                            "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                                + recording));
      }
      long started = System.nanoTime();
      child =
          builder
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      Process process = child;
      long[] atFirstCommit = {-1, -1}; // nanos since start, CPU nanos
      CommittedProgress progress =
          new CommittedProgress(started, records)
              .onFirstCommit(
                  () -> {
                    atFirstCommit[0] = System.nanoTime() - started;
                    atFirstCommit[1] = ProcStat.cpuNanos(process.pid()).orElse(-1);
                  });
      long cpu = -1;
      java.util.Map<String, Long> threads = java.util.Map.of();
      try {
        progress.follow(
            env.lag,
            name,
            topics.transactions(),
            name,
            () ->
                process.isAlive()
                    ? null
                    : "bin/tally exited with " + process.exitValue() + "\n" + tail(log),
            CATCH_UP_LIMIT);
        cpu = ProcStat.cpuNanos(process.pid()).orElse(-1);
        threads = ThreadCpu.byGroup(process.pid());
      } finally {
        stop(process, name);
      }
      CpuBreakdown breakdown =
          new CpuBreakdown(atFirstCommit[0] / 1e9, atFirstCommit[1], cpu, threads, null, null);
      if (variant.profiled() && Files.isRegularFile(recording)) {
        breakdown = breakdown.withProfile(JfrProfile.summarize(recording));
      }
      if (Files.isRegularFile(stacks)) {
        NativeProfile stackProfile = NativeProfile.read(stacks);
        LOG.info(
            "Bench {}: native profile {}: {} samples, {} on the ledger task",
            name,
            stacks,
            Format.integer(stackProfile.samples),
            Format.integer(stackProfile.ledgerSamples()));
        breakdown = breakdown.withNativeProfile(stackProfile);
      }
      UserRunResult result =
          new UserRunResult(
              contender,
              records,
              progress.wallSeconds(),
              progress.steadyRecordsPerSecond(),
              cpu,
              "the `bin/tally` JVM, start-up included",
              null,
              null,
              breakdown);
      LOG.info(
          "Bench {}: {} CPU s before the first commit ({} s after start); by thread: {}",
          name,
          Format.decimal(breakdown.cpuNanosToFirstCommit() / 1e9, 1),
          Format.decimal(breakdown.secondsToFirstCommit(), 1),
          breakdown.oneLine());
      LOG.info(
          "Bench {}: {} records/s from process start ({} s), steady {} records/s, {} µs CPU per"
              + " record; auditing the output",
          name,
          Format.integer(result.wallRecordsPerSecond()),
          Format.decimal(result.wallSeconds(), 1),
          Format.integer(result.steadyRecordsPerSecond()),
          Format.decimal(result.cpuMicrosPerRecord(), 1));
      AuditedOutput audit = AuditedOutput.audit(KafkaConnection.to(env.bootstrapServers()), topics);
      LOG.info("Bench {}: {}", name, audit.verdict());
      return result.withAudit(audit);
    } finally {
      if (child != null && child.isAlive()) {
        child.destroyForcibly();
      }
      Backlog.deleteQuietly(env.admin, topics.ledger());
      FileTrees.deleteRecursively(workDir);
    }
  }

  /** The command line a user types, with the bench's broker, names and job settings. */
  static List<String> command(
      Path tally,
      String bootstrapServers,
      Topics topics,
      String name,
      ColdVariant variant,
      BenchSettings settings,
      Path workDir) {
    List<String> command = new ArrayList<>(List.of(tally.toString(), "run", "ledger"));
    command.addAll(variant.arguments());
    command.addAll(List.of("--bootstrap-servers", bootstrapServers));
    command.add("--fresh");
    command.addAll(List.of("--work-dir", workDir.toString()));
    command.addAll(List.of("--web-ui-port", "0"));
    command.addAll(jobArgs(topics, name, variant.delivery(), settings));
    return command;
  }

  /** Topics, identity and the job settings every run of the bench shares. */
  static List<String> jobArgs(Topics topics, String name, Delivery delivery, BenchSettings s) {
    return List.of(
        "--transactions-topic",
        topics.transactions(),
        "--balances-topic",
        topics.balances(),
        "--alerts-topic",
        topics.alerts(),
        "--dlq-topic",
        topics.dlq(),
        "--job-name",
        name,
        "--group-id",
        name,
        "--transactional-id-prefix",
        name,
        "--delivery",
        delivery.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
        "--parallelism",
        Integer.toString(s.parallelism()),
        CheckpointIntervalOption.NAME,
        s.checkpointInterval().toMillis() + "ms");
  }

  /** SIGTERM (what Ctrl-C does: the job is cancelled), then SIGKILL after the grace period. */
  private static void stop(Process process, String name) throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy(); // SIGTERM
    if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
      LOG.warn(
          "Bench {}: bin/tally (pid {}) did not stop within {} s of SIGTERM: killing it",
          name,
          process.pid(),
          STOP_GRACE.toSeconds());
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * bin/tally rebuilds (mvn install) when a source is newer than its jar: that would be timed, and
   * would overwrite the local repository's snapshots. The bench refuses instead.
   */
  static void requireBuilt(Path root) throws IOException {
    Path jar = root.resolve("cli/target/tally-cli-0.1.0-SNAPSHOT.jar");
    Path classpath = root.resolve("cli/target/runtime-classpath.txt");
    if (!Files.isRegularFile(jar) || !Files.isRegularFile(classpath)) {
      throw new IllegalStateException(
          "bin/tally is not built (" + jar + "): run 'mvn -B -DskipTests package' first");
    }
    long built = Files.getLastModifiedTime(jar).toMillis();
    Path[] newer = new Path[1];
    Files.walkFileTree(
        root,
        new java.nio.file.SimpleFileVisitor<>() {
          @Override
          public java.nio.file.FileVisitResult preVisitDirectory(
              Path dir, java.nio.file.attribute.BasicFileAttributes attrs) {
            String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
            return name.equals(".git") || name.equals("target") || name.equals(".tally")
                ? java.nio.file.FileVisitResult.SKIP_SUBTREE
                : java.nio.file.FileVisitResult.CONTINUE;
          }

          @Override
          public java.nio.file.FileVisitResult visitFile(
              Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
            boolean source =
                file.toString().contains("/src/main/")
                    || file.getFileName().toString().equals("pom.xml");
            if (source && attrs.lastModifiedTime().toMillis() > built) {
              newer[0] = file;
              return java.nio.file.FileVisitResult.TERMINATE;
            }
            return java.nio.file.FileVisitResult.CONTINUE;
          }
        });
    if (newer[0] != null) {
      throw new IllegalStateException(
          newer[0]
              + " is newer than bin/tally's jar, which would rebuild it while timed: run 'mvn -B"
              + " -DskipTests package' first");
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }
}
