package tally.cluster;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;
import tally.jobs.common.JobIdentityOptions;
import tally.jobs.common.ParallelismOption;
import tally.jobs.common.TopicOptions;
import tally.jobs.ledger.LedgerJob;
import tally.testkit.acl.LeastPrivilegeAcls;
import tally.testkit.generate.TopicProvisioner;

/**
 * {@code tally replay start}: submits the ledger job from a savepoint into versioned replay topics.
 */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description =
        "Submits the ledger job restored from SAVEPOINT. By default it writes to new topics"
            + " <topic>.replay-<n> (created here, <n> one above the highest existing), with"
            + " transactional ids and consumer group tally-ledger-replay-<n>: the live job and its"
            + " readers are untouched. --into-live-topics replays into the live topics instead (the"
            + " live job must be stopped first; readers then see re-emitted updates and drop them"
            + " by (accountId, seq)). Further ledger options may follow '--'.")
public final class ReplayStartCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClusterDirOption dir;

  @Option(
      names = "--from-savepoint",
      required = true,
      paramLabel = "PATH",
      description =
          "Savepoint (or retained checkpoint) to start from, e.g. file:/.../savepoint-1a2b3c-...")
  String savepoint;

  @Option(
      names = "--into-live-topics",
      description =
          "Re-emit into the live topics (tally.balances, ...) with the live transactional ids: only"
              + " when the live ledger job is stopped, and readers drop re-emitted updates by"
              + " (accountId, seq).")
  boolean intoLiveTopics;

  @Mixin ParallelismOption parallelism = new ParallelismOption();

  @Mixin JobJarOption jobJar = new JobJarOption();

  /** The live job's topics and identity; a replay writes under {@code <topic>.replay-<n>}. */
  @Mixin TopicOptions live = new TopicOptions();

  @Mixin JobIdentityOptions liveIdentity = new JobIdentityOptions(LedgerJob.NAME);

  @Unmatched List<String> extraJobArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ClusterLayout layout = dir.layout();
    ClusterState state = ClusterState.require(layout);
    String bootstrap = state.ports().bootstrapServers();
    FlinkRestClient rest = state.rest();
    Path jar = jobJar.orDefault(TallyHome.locate().jobJar());

    List<String> args =
        new ArrayList<>(List.of(LedgerSubmission.JOB, "--bootstrap-servers", bootstrap));
    Optional<Path> ledgerClient = state.clientFile(LedgerSubmission.PRINCIPAL);
    ledgerClient.ifPresent(file -> args.addAll(List.of("--kafka-properties", file.toString())));
    ReplayTopics replay = null;
    if (intoLiveTopics) {
      requireNoLiveLedger(rest);
      args.addAll(
          List.of(
              "--balances-topic",
              live.balances,
              "--alerts-topic",
              live.alerts,
              "--dlq-topic",
              live.dlq,
              "--transactional-id-prefix",
              liveIdentity.transactionalIdPrefix));
    } else {
      replay = createReplayTopics(state);
      args.addAll(
          List.of(
              "--balances-topic",
              replay.balances(),
              "--alerts-topic",
              replay.alerts(),
              "--dlq-topic",
              replay.dlq(),
              "--transactional-id-prefix",
              replay.transactionalIdPrefix(),
              "--group-id",
              replay.groupId(),
              "--job-name",
              replay.transactionalIdPrefix()));
    }
    args.addAll(extraJobArgs.stream().filter(arg -> !arg.equals("--")).toList());
    String jobId =
        JobSubmission.submit(
            state, jar, null, args, savepoint, parallelism.parallelism, line -> {});

    out.println("Replay job " + jobId + " started from " + savepoint);
    if (replay != null) {
      out.println(
          "It re-emits everything after the savepoint into "
              + String.join(", ", replay.outputTopics()));
      out.println(
          "(transactional ids and consumer group "
              + replay.transactionalIdPrefix()
              + "); the live topics are untouched.");
      out.println(
          "Compare with the live output:  bin/tally replay verify --replay "
              + replay.number()
              + " --wait 2min");
      out.println("Stop it when done:             bin/tally flink cancel " + jobId);
    } else {
      out.println(
          "It re-emits everything after the savepoint into the live topics: readers drop updates"
              + " whose");
      out.println("(accountId, seq) they have already applied. It is now the live ledger job.");
    }
    return 0;
  }

  /**
   * A replay from a savepoint of the live job into the same topics would abort the live job's open
   * transactions.
   */
  private void requireNoLiveLedger(FlinkRestClient rest) throws IOException {
    for (FlinkRestClient.JobSummary job : rest.jobs()) {
      if (job.name().equals(LedgerSubmission.JOB_NAME) && !isTerminal(job.state())) {
        throw new IllegalStateException(
            "ledger job "
                + job.id()
                + " is "
                + job.state()
                + ": stop it first "
                + "(bin/tally flink stop --savepointPath ... "
                + job.id()
                + "), or replay into new topics (without --into-live-topics)");
      }
    }
  }

  private static boolean isTerminal(String state) {
    return Set.of("FINISHED", "CANCELED", "FAILED").contains(state);
  }

  private ReplayTopics createReplayTopics(ClusterState state) throws Exception {
    try (Admin admin = HealthProbe.admin(state.kafka(), java.time.Duration.ofSeconds(30))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      ReplayTopics replay =
          ReplayTopics.of(
              ReplayTopics.next(live.balances, existing),
              live.balances,
              live.alerts,
              live.dlq,
              liveIdentity.transactionalIdPrefix);
      Map<String, TopicDescription> liveTopicsByName =
          admin
              .describeTopics(List.of(live.balances, live.alerts, live.dlq))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS);
      List<String> liveTopics = List.of(live.balances, live.alerts, live.dlq);
      for (int i = 0; i < liveTopics.size(); i++) {
        TopicProvisioner.ensureTopic(
            admin,
            replay.outputTopics().get(i),
            liveTopicsByName.get(liveTopics.get(i)).partitions().size());
      }
      if (state.secured()) { // the ledger principal may use the replay's topics and identity
        LeastPrivilegeAcls.apply(
            admin,
            LeastPrivilegeAcls.job(
                LedgerSubmission.PRINCIPAL,
                List.of(live.transactions),
                replay.outputTopics(),
                new LeastPrivilegeAcls.JobIdentity(
                    replay.groupId(), replay.transactionalIdPrefix())));
      }
      return replay;
    }
  }
}
