package tally.chaos;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tally.cluster.BrokerDisks;
import tally.cluster.ClusterDirOption;
import tally.cluster.ClusterLayout;
import tally.cluster.ClusterState;
import tally.cluster.JobJarOption;
import tally.cluster.TallyHome;
import tally.jobs.common.DurationConverter;
import tally.jobs.common.DurationOption;
import tally.jobs.common.ParallelismOption;
import tally.support.cli.JsonOption;
import tally.testkit.audit.AuditTimeoutOption;
import tally.testkit.generate.RateOption;
import tally.testkit.generate.SeedOption;
import tally.testkit.generate.TransactionProducer;

/**
 * {@code tally chaos}: breaks the running cluster on a schedule while transactions flow, then
 * proves with the audit that nothing was lost, duplicated or changed, and reports how fast each
 * fault was noticed and recovered from.
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description =
        "Against the running cluster ('tally cluster up'): submits the ledger job (with a"
            + " failure-injection operator) on fresh topics, feeds it transactions at a steady"
            + " rate, and injects faults one after the other, each once the cluster is steady"
            + " again: tm-kill, jm-kill, broker-kill, tm-hang, job-exception, and on a cluster with"
            + " its own network partition-tm, partition-broker, partition-kafka, slow-network,"
            + " and with broker disks disk-full; or, with --duration, a soak run: one fault due"
            + " every --fault-every for that long. Then stops the"
            + " generator, lets the job drain, audits, and prints a report (JSON next to it). Exit"
            + " code 0 only when every fault recovered and nothing was lost, duplicated or"
            + " mismatched.")
public final class ChaosCommand implements Callable<Integer> {
  private static final String DEFAULT_FAULT_EVERY = "2min";

  @Spec CommandSpec spec;
  @Mixin ClusterDirOption dir;

  static final String EVERY_KIND = "all";

  @Option(
      names = "--faults",
      defaultValue = EVERY_KIND,
      paramLabel = "F1,F2",
      description =
          "Faults to choose from, or 'all' (the default): every kind this cluster can inject (the"
              + " network kinds need its own network, disk-full the brokers' own disks).")
  String faults;

  @Option(names = "--count", description = "How many faults to inject (default: one of each kind).")
  Integer count;

  @Mixin DurationOption soakFor = new DurationOption();

  @Option(
      names = "--fault-every",
      converter = DurationConverter.class,
      description =
          "With --duration: a fault is due this often from the end of the warm-up; one whose"
              + " predecessor has not recovered goes as soon as the cluster is steady again"
              + " (default: "
              + DEFAULT_FAULT_EVERY
              + ").")
  Duration faultEvery;

  @Option(
      names = "--spacing",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "Quiet time after a fault's recovery before the next one, without --duration (default:"
              + " ${DEFAULT-VALUE}).")
  Duration spacing;

  @Mixin SeedOption seed = new SeedOption(42);

  @Mixin RateOption rate = new RateOption(200);

  @Option(
      names = "--restart-delay",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "How long a killed process stays down before it is restarted (default:"
              + " ${DEFAULT-VALUE}).")
  Duration restartDelay;

  @Option(
      names = "--hang-duration",
      defaultValue = "15s",
      converter = DurationConverter.class,
      description =
          "How long a TaskManager stays stopped; above the 6 s heartbeat timeout it is declared"
              + " dead (default: ${DEFAULT-VALUE}).")
  Duration hangDuration;

  @Option(
      names = "--network-fault-duration",
      defaultValue = "20s",
      converter = DurationConverter.class,
      description =
          "How long a partition or a slow link lasts, and the longest a full disk stays full"
              + " (default: ${DEFAULT-VALUE}).")
  Duration networkFaultDuration;

  @Option(
      names = "--recovery-timeout",
      defaultValue = "3min",
      converter = DurationConverter.class,
      description = "A fault not recovered by then fails the run (default: ${DEFAULT-VALUE}).")
  Duration recoveryTimeout;

  @Option(
      names = "--warm-up",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Steady output before the first fault (default: ${DEFAULT-VALUE}).")
  Duration warmUp;

  @Option(
      names = "--lag-threshold",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "Output further behind the input than this counts as unavailable (default:"
              + " ${DEFAULT-VALUE}).")
  Duration lagThreshold;

  @Mixin AuditTimeoutOption audit = new AuditTimeoutOption(Duration.ofMinutes(3));

  @Mixin ParallelismOption parallelism = new ParallelismOption(2);

  @Mixin JobJarOption jobJar = new JobJarOption();

  @Option(
      names = "--keep-job",
      description = "Leave the chaos job running at the end (default: cancel it).")
  boolean keepJob;

  @Mixin JsonOption output = new JsonOption();

  /** Every kind the cluster under {@code layout} allows, with one line about those it does not. */
  private List<FaultKind> injectableKinds(ClusterLayout layout) {
    ClusterState state = ClusterState.require(layout);
    BrokerDisks disks = new BrokerDisks(layout);
    List<FaultKind> kinds = new ArrayList<>();
    List<String> left = new ArrayList<>();
    for (FaultKind kind : FaultKind.values()) {
      ChaosTarget.cannotInject(kind, state, disks)
          .ifPresentOrElse(left::add, () -> kinds.add(kind));
    }
    if (!left.isEmpty()) {
      spec.commandLine()
          .getOut()
          .println("Faults: not on this cluster: " + String.join("; ", left));
    }
    return kinds;
  }

  @Override
  public Integer call() {
    ChaosSettings settings = settings();
    // The run prints its own progress; the generator's lines every 5 s would drown it.
    Configurator.setLevel(TransactionProducer.class.getName(), Level.WARN);
    ClusterLayout layout = dir.layout();
    ClusterState.require(layout);
    Path jar = jobJar.orDefault(TallyHome.locate().testJobJar());
    PrintWriter out = spec.commandLine().getOut();
    ChaosReport report =
        new ChaosRun(
                layout,
                settings,
                jar,
                keepJob,
                line -> {
                  out.println(line);
                  out.flush();
                })
            .run();
    out.println();
    out.print(output.json ? report.toJson() + System.lineSeparator() : report.toText());
    out.println("Report: " + ChaosRun.reportFile(layout, report.runId()));
    out.flush();
    return report.passed() ? 0 : 1;
  }

  ChaosSettings settings() {
    return settings(() -> injectableKinds(dir.layout()));
  }

  /** With {@code everyKind}: what "all" means on the cluster at hand. */
  ChaosSettings settings(Supplier<List<FaultKind>> everyKind) {
    try {
      boolean everyKindOfTheCluster = faults.trim().equalsIgnoreCase(EVERY_KIND);
      List<FaultKind> named = everyKindOfTheCluster ? List.of() : FaultKind.parseList(faults);
      Duration duration = soakFor.duration;
      if (duration != null && count != null) {
        throw new IllegalArgumentException(
            "--duration (a soak run: faults on a cadence) and --count (that many faults) exclude"
                + " each other: give one");
      }
      if (faultEvery != null && duration == null) {
        throw new IllegalArgumentException(
            "--fault-every needs --duration (how long the soak run injects faults)");
      }
      Duration period =
          duration == null
              ? null
              : faultEvery != null ? faultEvery : DurationConverter.parse(DEFAULT_FAULT_EVERY);
      if ((count != null && count < 1)
          || rate.rate <= 0
          || parallelism.parallelism == null
          || parallelism.parallelism < 1) {
        throw new IllegalArgumentException("--count, --rate and --parallelism must be positive");
      }
      // Last: 'all' asks the cluster, which a mistyped option should not need to be found.
      List<FaultKind> kinds = everyKindOfTheCluster ? everyKind.get() : named;
      int faultCount = count == null ? kinds.size() : count;
      return new ChaosSettings(
          kinds,
          faultCount,
          spacing,
          seed.seed,
          rate.rate,
          restartDelay,
          hangDuration,
          networkFaultDuration,
          recoveryTimeout,
          warmUp,
          lagThreshold,
          audit.auditTimeout,
          parallelism.parallelism,
          duration,
          period);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
