package tally.cluster;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tally cluster up|down|status}: a real multi-process cluster on this machine, without
 * Docker.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description =
        "A real cluster on this machine without Docker, each part its own OS process from the Maven"
            + " Central jars: ZooKeeper (Flink HA), 3 Kafka brokers (KRaft, replication factor 3,"
            + " min ISR 2), a Flink JobManager with ZooKeeper HA and 2 TaskManagers (2 slots each),"
            + " Web UI on http://localhost:8081. Submit jobs with 'tally flink run ...'; break it"
            + " on purpose with 'tally chaos'. Its work directory is .tally/cluster under the"
            + " repository unless --work-dir names another.",
    subcommands = {ClusterUpCommand.class, ClusterDownCommand.class, ClusterStatusCommand.class})
public final class ClusterCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: up, down or status");
  }
}
