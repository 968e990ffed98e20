package tally.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tally.connectors.kafka.KafkaClientProperties;
import tally.connectors.kafka.KafkaConnection;
import tally.connectors.kafka.KafkaInputRecord;
import tally.jobs.common.Delivery;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerTopology;
import tally.kafka.local.BrokerSecurity;
import tally.kafka.local.KafkaClusterExtension;
import tally.kafka.local.KafkaClusterOptions;
import tally.support.Deadline;
import tally.testkit.LedgerScenario;
import tally.testkit.acl.LeastPrivilegeAcls;
import tally.testkit.acl.LeastPrivilegeAcls.JobIdentity;
import tally.testkit.acl.TallyAcl;
import tally.testkit.audit.AuditReport;
import tally.testkit.failure.FailureInjector;
import tally.testkit.generate.TransactionProducer;

/**
 * How the least-privilege ACL set of {@link LeastPrivilegeAcls} was measured, kept to measure it
 * again after a Kafka or connector upgrade. The ledger job runs on a secured broker (without
 * Tally's start-up checks, so only Kafka decides) with the whole set, then with each ACL removed or
 * weakened in turn, each run on its own local MiniCluster with one injected failure after a
 * checkpoint, so that the sink's recovery (listing and aborting lingering transactions) runs too.
 * The audit, as the auditor, says whether the output is complete; then the auditor's own ACLs are
 * removed one at a time. Takes ~10 minutes: a measurement run on demand, not part of the suite (its
 * name matches no test pattern):
 *
 * <pre>
 * mvn -B -o -pl e2e-tests -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=LeastPrivilegeAclsMeasurement -Dspotless.check.skip=true
 * </pre>
 *
 * The results are logged as lines starting with {@code MEASURED}.
 */
class LeastPrivilegeAclsMeasurement {
  private static final Logger LOG = LoggerFactory.getLogger(LeastPrivilegeAclsMeasurement.class);

  @RegisterExtension
  static final KafkaClusterExtension KAFKA =
      new KafkaClusterExtension(
          KafkaClusterOptions.builder().security(BrokerSecurity.SASL_SSL_SCRAM).build());

  @TempDir Path checkpoints;

  private static KafkaConnection as(String principal) {
    return new KafkaConnection(
        KAFKA.bootstrapServers(),
        KafkaClientProperties.load(KAFKA.cluster().clientPropertiesFile(principal), List.of()));
  }

  @Test
  void eachLedgerAndAuditorAclIsNeeded() throws Exception {
    // The whole set; then the auditor's ACLs one at a time, on that run's output.
    LedgerScenario full = scenario("all");
    String outcome = runLedger(full, UnaryOperator.identity());
    LOG.info("MEASURED all ledger ACLs: {}", outcome);
    assertThat(outcome).startsWith("AUDIT CLEAN");
    List<TallyAcl> auditor = LeastPrivilegeAcls.auditor("auditor", full.options.topics());
    for (int i = 0; i < auditor.size(); i++) {
      List<TallyAcl> rest = new ArrayList<>(auditor);
      TallyAcl removed = rest.remove(i);
      revokeAll("auditor");
      LeastPrivilegeAcls.apply(KAFKA.admin(), rest);
      LOG.info("MEASURED auditor without {}: {}", removed.describe(), audit(full));
    }
    revokeAll("auditor");
    LeastPrivilegeAcls.apply(KAFKA.admin(), auditor);
    LOG.info("MEASURED auditor with all its ACLs again: {}", audit(full));

    int count =
        LeastPrivilegeAcls.ledgerJob("ledger", full.options.topics(), identity(full)).size();
    for (int i = 0; i < count; i++) {
      int index = i;
      LedgerScenario scenario = scenario("without-" + i);
      String[] removed = new String[1];
      String result =
          runLedger(
              scenario,
              acls -> {
                List<TallyAcl> rest = new ArrayList<>(acls);
                removed[0] = rest.remove(index).describe();
                return rest;
              });
      LOG.info("MEASURED ledger without {}: {}", removed[0], result);
    }
    weakened("DESCRIBE instead of READ on the group", AclOperation.READ, "Group");
    weakened("DESCRIBE instead of READ on the output topics", AclOperation.READ, "Topic-out");
    weakened(
        "DESCRIBE instead of WRITE on the transactional ids",
        AclOperation.WRITE,
        "TransactionalId");
  }

  /** The ledger set with {@code operation} on some resources replaced by DESCRIBE. */
  private void weakened(String label, AclOperation operation, String which) throws Exception {
    LedgerScenario scenario = scenario("weak-" + which.toLowerCase());
    List<String> outputs = scenario.options.outputTopics();
    String result =
        runLedger(
            scenario,
            acls ->
                acls.stream()
                    .map(
                        acl -> {
                          boolean match =
                              acl.operation() == operation
                                  && switch (which) {
                                    case "Topic-out" -> outputs.contains(acl.name());
                                    default -> TallyAcl.typeName(acl.resourceType()).equals(which);
                                  };
                          return match
                              ? new TallyAcl(
                                  acl.principal(),
                                  AclOperation.DESCRIBE,
                                  acl.resourceType(),
                                  acl.pattern(),
                                  acl.name(),
                                  acl.why())
                              : acl;
                        })
                    .toList());
    LOG.info("MEASURED ledger with {}: {}", label, result);
  }

  private LedgerScenario scenario(String label) {
    return new LedgerScenario(
        KAFKA,
        label,
        Delivery.EXACTLY_ONCE,
        checkpoints,
        as("ledger"),
        as("generator"),
        as("auditor"));
  }

  private static JobIdentity identity(LedgerScenario scenario) {
    return new JobIdentity(
        scenario.options.identity.groupId, scenario.options.identity.transactionalIdPrefix);
  }

  private static String audit(LedgerScenario scenario) {
    try {
      return "audit: " + scenario.audit(Duration.ofSeconds(5)).verdict();
    } catch (RuntimeException e) {
      return "audit refused: " + chain(e);
    }
  }

  /**
   * Runs the ledger with {@code filter} applied to its ACLs (the generator and auditor have theirs)
   * on a MiniCluster of its own, feeding it until the injected failure has happened and then some.
   */
  private String runLedger(LedgerScenario scenario, UnaryOperator<List<TallyAcl>> filter)
      throws Exception {
    var topics = scenario.options.topics();
    revokeAll("ledger");
    LeastPrivilegeAcls.apply(
        KAFKA.admin(),
        filter.apply(LeastPrivilegeAcls.ledgerJob("ledger", topics, identity(scenario))));
    LeastPrivilegeAcls.apply(KAFKA.admin(), LeastPrivilegeAcls.generator("generator", topics));
    LeastPrivilegeAcls.apply(KAFKA.admin(), LeastPrivilegeAcls.auditor("auditor", topics));

    Configuration conf = scenario.options.runtime.toConfiguration();
    conf.setString("restart-strategy.type", "fixed-delay");
    conf.setString("restart-strategy.fixed-delay.attempts", "2");
    conf.setString("restart-strategy.fixed-delay.delay", "1s");
    // Its own MiniCluster: a missing WRITE ACL makes the sink fail in close() too, which Flink
    // treats as fatal for the whole TaskManager.
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
    DataStream<KafkaInputRecord> input =
        LedgerJob.readTransactions(env, scenario.options)
            .map(FailureInjector.<KafkaInputRecord>afterCheckpoint(scenario.name, 1, 200))
            .uid("failure-injector")
            .name("Inject failures");
    LedgerJob.writeOutputs(
        LedgerTopology.build(input, scenario.options.dedupRetention), scenario.options);
    long started = System.nanoTime();
    JobClient job = env.executeAsync(scenario.name);
    String outcome;
    try (TransactionProducer generator = scenario.generator(0, 500)) {
      Thread feeding = new Thread(generator::run, "generator-" + scenario.name);
      feeding.start();
      Deadline.in(Duration.ofSeconds(60))
          .await(
              () -> FailureInjector.failures(scenario.name) > 0 || terminal(job),
              () -> null,
              Duration.ofMillis(200));
      Deadline.in(Duration.ofSeconds(3)).await(() -> terminal(job));
      generator.stop();
      feeding.join(30_000);
      String offsets = groupOffsets(scenario.options.identity.groupId);
      CompletableFuture<String> audit =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  AuditReport report = scenario.audit(Duration.ofSeconds(30));
                  return report.verdict();
                } catch (RuntimeException e) {
                  return "audit refused: " + chain(e);
                }
              });
      Deadline.in(Duration.ofSeconds(40))
          .await(() -> audit.isDone() || terminal(job), () -> null, Duration.ofMillis(500));
      if (terminal(job)) {
        outcome = "JOB ENDED:" + failure(job);
      } else if (audit.isDone()) {
        outcome = audit.get();
      } else {
        outcome = "no verdict in 40 s";
      }
      outcome +=
          " | injected failures "
              + FailureInjector.failures(scenario.name)
              + ", generated "
              + generator.sent()
              + ", group offsets "
              + offsets
              + ", "
              + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)
              + " s";
    } finally {
      if (!terminal(job)) {
        try {
          job.cancel().get();
        } catch (Exception e) {
          LOG.info("{}: cancel: {}", scenario.name, chain(e)); // its MiniCluster already ended
        }
      }
      Deadline.in(Duration.ofSeconds(60)).await(() -> terminal(job));
    }
    LOG.info("{}: {}", scenario.name, outcome);
    return outcome;
  }

  private static String groupOffsets(String group) {
    try {
      Map<?, ?> offsets =
          KAFKA
              .admin()
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      return offsets.isEmpty() ? "none" : "committed for " + offsets.size() + " partitions";
    } catch (Exception e) {
      return "?" + chain(e);
    }
  }

  private static boolean terminal(JobClient job) {
    try {
      return job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState();
    } catch (Exception e) {
      return true;
    }
  }

  private static String failure(JobClient job) {
    try {
      job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
      return " no failure";
    } catch (Exception e) {
      return chain(e);
    }
  }

  private static void revokeAll(String principal) throws Exception {
    AclBindingFilter filter =
        new AclBindingFilter(
            ResourcePatternFilter.ANY,
            new AccessControlEntryFilter(
                "User:" + principal, null, AclOperation.ANY, AclPermissionType.ANY));
    KAFKA.admin().deleteAcls(List.of(filter)).all().get(30, TimeUnit.SECONDS);
    Deadline.in(Duration.ofSeconds(30))
        .await(
            () -> {
              try {
                return KAFKA.admin().describeAcls(filter).values().get().isEmpty();
              } catch (Exception e) {
                return false;
              }
            });
  }

  /** The exception chain's innermost causes, one line. */
  private static String chain(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      parts.add(
          t.getClass().getSimpleName()
              + ": "
              + String.valueOf(t.getMessage()).lines().findFirst().orElse(""));
    }
    int from = Math.max(0, parts.size() - 3);
    return " " + String.join(" <- ", parts.subList(from, parts.size()));
  }
}
