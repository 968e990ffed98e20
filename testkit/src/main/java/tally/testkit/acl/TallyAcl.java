package tally.testkit.acl;

import java.util.Locale;
import java.util.Objects;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * One ALLOW ACL a Tally principal needs, from any host, and why it needs it.
 *
 * @param principal the user name, without {@code User:}
 * @param why what fails without it, in a few words
 */
public record TallyAcl(
    String principal,
    AclOperation operation,
    ResourceType resourceType,
    PatternType pattern,
    String name,
    String why) {

  /** Kafka's name of the cluster resource: cluster ACLs are always on it. */
  public static final String CLUSTER = "kafka-cluster";

  public TallyAcl {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(why, "why");
  }

  /** As Kafka's Admin client takes it: ALLOW for {@code User:<principal>} from any host. */
  public AclBinding binding() {
    return new AclBinding(
        new ResourcePattern(resourceType, name, pattern),
        new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
  }

  /** "WRITE on TransactionalId prefix tally-ledger", "READ on Topic tally.transactions". */
  public String describe() {
    return operation
        + " on "
        + typeName(resourceType)
        + (pattern == PatternType.PREFIXED ? " prefix " : " ")
        + name;
  }

  /**
   * Kafka's spelling of a resource type in ACL listings: Topic, Group, TransactionalId, Cluster.
   */
  public static String typeName(ResourceType type) {
    return switch (type) {
      case TRANSACTIONAL_ID -> "TransactionalId";
      case DELEGATION_TOKEN -> "DelegationToken";
      case USER -> "User";
      default -> {
        String lower = type.name().toLowerCase(Locale.ROOT);
        yield Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
      }
    };
  }
}
