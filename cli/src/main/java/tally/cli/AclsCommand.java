package tally.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tally.connectors.kafka.KafkaConnection;
import tally.connectors.kafka.KafkaFailures;
import tally.jobs.common.KafkaOptions;
import tally.jobs.common.TopicOptions;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.revenue.RevenueJob;
import tally.testkit.acl.LeastPrivilegeAcls;
import tally.testkit.acl.LeastPrivilegeAcls.JobIdentity;
import tally.testkit.acl.LeastPrivilegeAcls.Principals;
import tally.testkit.acl.TallyAcl;
import tally.testkit.generate.TopicProvisioner;

/**
 * {@code tally acls}: the least-privilege ACLs of the ledger and revenue jobs, the generator and
 * the auditor, created with an admin's connection and printed as a table (principal, operation,
 * resource, pattern, name, why).
 */
@Command(
    name = "acls",
    mixinStandardHelpOptions = true,
    description =
        "Creates the ACLs each Tally principal needs, and nothing more: the ledger and revenue"
            + " jobs (their topics, consumer group and transactional-id prefix), the generator"
            + " (writes the transactions) and the auditor (reads, no group). Connect as a"
            + " principal allowed to create ACLs (ALTER on the Cluster, e.g. a super user) with"
            + " --kafka-properties. Existing ACLs are kept. Prints the table of what it created.")
public final class AclsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka = new KafkaOptions();

  @Mixin TopicOptions topics = new TopicOptions();

  @Option(
      names = "--ledger-principal",
      defaultValue = "ledger",
      description = "User the ledger job authenticates as (default: ${DEFAULT-VALUE}).")
  String ledgerPrincipal;

  @Option(
      names = "--revenue-principal",
      defaultValue = "revenue",
      description = "User the revenue job authenticates as (default: ${DEFAULT-VALUE}).")
  String revenuePrincipal;

  @Option(
      names = "--generator-principal",
      defaultValue = "generator",
      description = "User of bin/tally generate (default: ${DEFAULT-VALUE}).")
  String generatorPrincipal;

  @Option(
      names = "--auditor-principal",
      defaultValue = "auditor",
      description = "User of bin/tally audit (default: ${DEFAULT-VALUE}).")
  String auditorPrincipal;

  @Option(
      names = "--ledger-job-name",
      defaultValue = LedgerJob.NAME,
      description =
          "The ledger job's consumer group and transactional-id prefix, as its --group-id and"
              + " --transactional-id-prefix default to its name (default: ${DEFAULT-VALUE}).")
  String ledgerJobName;

  @Option(
      names = "--revenue-job-name",
      defaultValue = RevenueJob.NAME,
      description =
          "The revenue job's consumer group and transactional-id prefix (default:"
              + " ${DEFAULT-VALUE}).")
  String revenueJobName;

  @Option(
      names = "--dry-run",
      description = "Only print the ACLs; create nothing (no Kafka needed).")
  boolean dryRun;

  @Override
  public Integer call() {
    List<TallyAcl> acls = acls();
    PrintWriter out = spec.commandLine().getOut();
    if (!dryRun) {
      KafkaConnection connection = kafka.connection();
      try (Admin admin = TopicProvisioner.admin(connection)) {
        LeastPrivilegeAcls.apply(admin, acls);
      } catch (IllegalStateException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        throw new IllegalStateException(
            "cannot create the ACLs: "
                + KafkaFailures.explain(cause, connection.bootstrapServers(), connection.client()),
            e);
      }
    }
    out.print(LeastPrivilegeAcls.table(acls));
    out.println(
        dryRun
            ? acls.size() + " ACLs (dry run: nothing created)"
            : acls.size() + " ACLs in place on " + kafka.connection().describe());
    return 0;
  }

  List<TallyAcl> acls() {
    return LeastPrivilegeAcls.all(
        new Principals(
            user(ledgerPrincipal),
            user(revenuePrincipal),
            user(generatorPrincipal),
            user(auditorPrincipal)),
        topics.topics(),
        JobIdentity.named(ledgerJobName),
        JobIdentity.named(revenueJobName));
  }

  /** "ledger" or "User:ledger" -> "ledger". */
  private static String user(String principal) {
    return principal.startsWith("User:") ? principal.substring("User:".length()) : principal;
  }
}
