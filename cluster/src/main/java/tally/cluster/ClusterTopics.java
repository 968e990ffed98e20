package tally.cluster;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import tally.connectors.kafka.KafkaConnection;
import tally.jobs.common.Topics;
import tally.testkit.acl.LeastPrivilegeAcls;
import tally.testkit.acl.TallyAcl;
import tally.testkit.generate.TopicProvisioner;

/**
 * The topics a cluster starts with: every topic of the ledger contract, 4 partitions (the most
 * parallel the jobs can usefully run here), replication factor 3 with the brokers' min ISR 2.
 * docker-compose.yml's kafka-init service creates the same (a test checks it).
 */
public final class ClusterTopics {

  public static final int PARTITIONS = 4;
  public static final int REPLICATION_FACTOR = 3;

  private ClusterTopics() {}

  public static List<String> names() {
    return Topics.DEFAULTS.all();
  }

  /** Creates the missing ones (replication factor min(3, brokers) = 3 here); returns how many. */
  public static int ensure(KafkaConnection kafka) {
    return TopicProvisioner.ensureTopics(kafka, names(), PARTITIONS);
  }

  /**
   * On a secured cluster: the least-privilege ACLs of the ledger and revenue jobs (default names),
   * the generator and the auditor on these topics (as {@code bin/tally acls} creates them); returns
   * how many.
   */
  public static int grantLeastPrivilege(KafkaConnection admin) {
    List<TallyAcl> acls = LeastPrivilegeAcls.defaults();
    try (Admin client = admin.createAdmin(Map.of())) {
      LeastPrivilegeAcls.apply(client, acls);
    }
    return acls.size();
  }
}
