package tally.cluster;

import java.util.ArrayList;
import java.util.List;

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

  private LedgerSubmission() {}

  public static List<String> programArgs(String bootstrapServers) {
    List<String> args = new ArrayList<>();
    args.add(JOB);
    args.add("--bootstrap-servers");
    args.add(bootstrapServers);
    return args;
  }

  /** The command line a user types, relative to the repository. */
  public static String commandLine(String bootstrapServers) {
    return "bin/tally flink run -d jobs/target/tally-jobs-*.jar "
        + String.join(" ", programArgs(bootstrapServers));
  }
}
