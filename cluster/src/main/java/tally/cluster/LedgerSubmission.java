package tally.cluster;

import java.util.ArrayList;
import java.util.List;
import tally.testkit.acl.LeastPrivilegeAcls;

/**
 * How the ledger job is submitted to a cluster, the standard way ({@code flink run -d <jar> ledger
 * ...}): the program arguments after the jar. The same on the no-Docker cluster (bin/tally prints
 * them after {@code cluster up}) and in docker-compose.yml's submit service, apart from the Kafka
 * addresses; a test checks that they agree. Parallelism, checkpoint and savepoint directories come
 * from the cluster's configuration.
 */
public final class LedgerSubmission {
  public static final String JOB = "ledger";
  public static final String JOB_NAME = "tally-ledger";

  /**
   * The ledger job's principal on a secured cluster (its client file is {@code ledger.properties}).
   */
  public static final String PRINCIPAL = LeastPrivilegeAcls.Principals.DEFAULTS.ledger();

  private LedgerSubmission() {}

  public static List<String> programArgs(String bootstrapServers) {
    List<String> args = new ArrayList<>();
    args.add(JOB);
    args.add("--bootstrap-servers");
    args.add(bootstrapServers);
    return args;
  }

  /** As above, on a secured cluster: with the ledger principal's client file. */
  public static List<String> programArgs(String bootstrapServers, java.nio.file.Path clientFile) {
    List<String> args = programArgs(bootstrapServers);
    args.add("--kafka-properties");
    args.add(clientFile.toString());
    return args;
  }

  /** The command line a user types, relative to the repository. */
  public static String commandLine(String bootstrapServers) {
    return commandLine(programArgs(bootstrapServers));
  }

  public static String commandLine(List<String> programArgs) {
    return "bin/tally flink run -d jobs/target/tally-jobs-*.jar " + String.join(" ", programArgs);
  }
}
