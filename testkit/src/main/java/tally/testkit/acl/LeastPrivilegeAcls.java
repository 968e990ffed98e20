package tally.testkit.acl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import tally.jobs.common.Topics;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.revenue.RevenueJob;
import tally.support.Deadline;

/**
 * The least-privilege ACLs of Tally's principals on a Kafka with an authorizer (deny by default):
 * what the ledger and revenue jobs, the generator and the auditor each need, and nothing more. The
 * set was measured on a real secured broker by running each client with only these ACLs, and with
 * each one of them removed (see docs/security.md).
 *
 * <p>Kafka's authorizer lets READ, WRITE, DELETE and ALTER imply DESCRIBE on the same resource, so
 * the set holds no separate DESCRIBE ACLs where READ or WRITE is granted.
 */
public final class LeastPrivilegeAcls {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private LeastPrivilegeAcls() {}

  /** The principals of Tally's four roles (user names, without {@code User:}). */
  public record Principals(String ledger, String revenue, String generator, String auditor) {
    public static final Principals DEFAULTS =
        new Principals("ledger", "revenue", "generator", "auditor");

    public Principals {
      Objects.requireNonNull(ledger, "ledger");
      Objects.requireNonNull(revenue, "revenue");
      Objects.requireNonNull(generator, "generator");
      Objects.requireNonNull(auditor, "auditor");
    }
  }

  /** How a job names itself to Kafka: its consumer group and its sink's transactional-id prefix. */
  public record JobIdentity(String groupId, String transactionalIdPrefix) {
    public static final JobIdentity LEDGER = named(LedgerJob.NAME);
    public static final JobIdentity REVENUE = named(RevenueJob.NAME);

    public JobIdentity {
      Objects.requireNonNull(groupId, "groupId");
      Objects.requireNonNull(transactionalIdPrefix, "transactionalIdPrefix");
    }

    /** A job's defaults: group and prefix are its name. */
    public static JobIdentity named(String jobName) {
      return new JobIdentity(jobName, jobName);
    }
  }

  /** Every ACL of the four default principals on the default topics with the jobs' own names. */
  public static List<TallyAcl> defaults() {
    return all(Principals.DEFAULTS, Topics.DEFAULTS, JobIdentity.LEDGER, JobIdentity.REVENUE);
  }

  /** Every ACL of the four roles. */
  public static List<TallyAcl> all(
      Principals principals, Topics topics, JobIdentity ledger, JobIdentity revenue) {
    List<TallyAcl> acls = new ArrayList<>();
    acls.addAll(ledgerJob(principals.ledger(), topics, ledger));
    acls.addAll(revenueJob(principals.revenue(), topics, revenue));
    acls.addAll(generator(principals.generator(), topics));
    acls.addAll(auditor(principals.auditor(), topics));
    return acls;
  }

  /** The ledger job: reads transactions, writes balances, alerts and dead letters exactly once. */
  public static List<TallyAcl> ledgerJob(String principal, Topics topics, JobIdentity identity) {
    return job(principal, List.of(topics.transactions()), topics.ledgerOutputs(), identity);
  }

  /** The revenue job: reads balances, writes window totals, late debits and dead letters. */
  public static List<TallyAcl> revenueJob(String principal, Topics topics, JobIdentity identity) {
    return job(principal, List.of(topics.balances()), topics.revenueOutputs(), identity);
  }

  /** A Tally job with an exactly-once Kafka sink. */
  public static List<TallyAcl> job(
      String principal, List<String> inputs, List<String> outputs, JobIdentity identity) {
    List<TallyAcl> acls = new ArrayList<>();
    for (String input : inputs) {
      acls.add(
          topic(
              principal,
              AclOperation.READ,
              input,
              "the Kafka source fetches it (READ implies DESCRIBE: metadata, offsets)"));
    }
    acls.add(
        new TallyAcl(
            principal,
            AclOperation.READ,
            ResourceType.GROUP,
            PatternType.LITERAL,
            identity.groupId(),
            "the source commits its offsets to the group at each checkpoint and starts from them"
                + " without state"));
    for (String output : outputs) {
      acls.add(topic(principal, AclOperation.WRITE, output, "the exactly-once sink writes it"));
    }
    for (String output : outputs) {
      acls.add(
          topic(
              principal,
              AclOperation.READ,
              output,
              "the sink's recovery lists the producers of its partitions (DescribeProducers) to"
                  + " find lingering transactions"));
    }
    acls.add(
        new TallyAcl(
            principal,
            AclOperation.WRITE,
            ResourceType.TRANSACTIONAL_ID,
            PatternType.PREFIXED,
            identity.transactionalIdPrefix(),
            "the sink's transactions <prefix>-<subtask>-<n>: begin, commit, abort lingering ones"
                + " (WRITE implies DESCRIBE: find the coordinator, list them)"));
    acls.add(
        new TallyAcl(
            principal,
            AclOperation.DESCRIBE_CONFIGS,
            ResourceType.CLUSTER,
            PatternType.LITERAL,
            TallyAcl.CLUSTER,
            "the start-up check compares --transaction-timeout with the brokers'"
                + " transaction.max.timeout.ms (optional: without it the check is skipped with a"
                + " warning)"));
    return acls;
  }

  /** The generator: writes the transactions topic, with an idempotent producer. */
  public static List<TallyAcl> generator(String principal, Topics topics) {
    return List.of(
        topic(
            principal,
            AclOperation.WRITE,
            topics.transactions(),
            "it produces there; WRITE on a topic also covers its idempotent producer id (no"
                + " IDEMPOTENT_WRITE on the Cluster since KIP-679)"));
  }

  /**
   * The auditor: reads every topic the ledger and revenue audits compare, with read_committed,
   * assigning partitions itself (no consumer group).
   */
  public static List<TallyAcl> auditor(String principal, Topics topics) {
    List<TallyAcl> acls = new ArrayList<>();
    acls.add(
        topic(principal, AclOperation.READ, topics.transactions(), "the audit recomputes from it"));
    for (String output : topics.ledgerOutputs()) {
      acls.add(topic(principal, AclOperation.READ, output, "the ledger audit compares it"));
    }
    acls.add(
        topic(
            principal,
            AclOperation.READ,
            topics.merchantRevenue(),
            "the revenue audit (--with-revenue) compares it"));
    acls.add(
        topic(
            principal,
            AclOperation.READ,
            topics.revenueLate(),
            "the revenue audit (--with-revenue) compares it"));
    return acls;
  }

  private static TallyAcl topic(String principal, AclOperation operation, String name, String why) {
    return new TallyAcl(principal, operation, ResourceType.TOPIC, PatternType.LITERAL, name, why);
  }

  /**
   * Creates the ACLs (existing ones are kept; creating an ACL twice is a no-op), then waits until
   * the brokers' authorizer answers with all of them.
   *
   * @throws IllegalStateException naming the cause if Kafka refuses or does not answer
   */
  public static void apply(Admin admin, Collection<TallyAcl> acls) {
    List<AclBinding> bindings = acls.stream().map(TallyAcl::binding).toList();
    try {
      admin.createAcls(bindings).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create ACLs: " + e.getCause().getMessage(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not create the ACLs within " + TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating ACLs", e);
    }
    if (!Deadline.in(TIMEOUT)
        .await(() -> visible(admin, bindings), () -> null, Duration.ofMillis(50))) {
      throw new IllegalStateException(
          "ACLs created but not visible on the brokers after " + TIMEOUT.toSeconds() + " s");
    }
  }

  private static boolean visible(Admin admin, List<AclBinding> bindings) {
    try {
      Set<AclBinding> existing =
          new HashSet<>(
              admin
                  .describeAcls(AclBindingFilter.ANY)
                  .values()
                  .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      return existing.containsAll(bindings);
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The ACLs as a table: principal, operation, resource type, pattern, name, why. */
  public static String table(List<TallyAcl> acls) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"principal", "operation", "resource", "pattern", "name", "why"});
    for (TallyAcl acl : acls) {
      rows.add(
          new String[] {
            "User:" + acl.principal(),
            acl.operation().name(),
            TallyAcl.typeName(acl.resourceType()),
            acl.pattern().name(),
            acl.name(),
            acl.why()
          });
    }
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns - 1; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      for (int c = 0; c < columns - 1; c++) {
        text.append(String.format("%-" + widths[c] + "s  ", row[c]));
      }
      text.append(row[columns - 1]).append('\n');
    }
    return text.toString();
  }
}
