package tally.cluster;

import java.util.List;

/**
 * One process of the cluster as recorded in {@code cluster.json}: how to start it again (its exact
 * command line), and which OS process currently is it (pid plus start time, so that a recycled pid
 * is never mistaken for it).
 *
 * @param name zookeeper, kafka-1..3, jobmanager, taskmanager-1..2
 * @param command the java command line (without the session-detaching prefix)
 * @param startedAtMillis the process's start time as the OS reports it (epoch ms), 0 if unknown
 * @param tmpDir scratch directory emptied before a restart, or null
 * @param endpoint what it serves, for humans ("localhost:9092", "http://localhost:8081", ...)
 */
public record ClusterProcess(
    String name,
    ProcessRole role,
    long pid,
    long startedAtMillis,
    List<String> command,
    String log,
    String out,
    String tmpDir,
    String endpoint) {

  public ClusterProcess {
    command = List.copyOf(command);
  }

  public ClusterProcess withPid(long newPid, long newStartedAtMillis) {
    return new ClusterProcess(
        name, role, newPid, newStartedAtMillis, command, log, out, tmpDir, endpoint);
  }

  /** The Kafka node id of a broker (kafka-2 -> 2). */
  public int brokerId() {
    if (role != ProcessRole.KAFKA) {
      throw new IllegalStateException(name + " is not a broker");
    }
    return Integer.parseInt(name.substring(name.indexOf('-') + 1));
  }
}
