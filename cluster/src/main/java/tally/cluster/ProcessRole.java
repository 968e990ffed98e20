package tally.cluster;

/** What a cluster process is; the order is the start order (and the reverse the stop order). */
public enum ProcessRole {
  ZOOKEEPER,
  KAFKA,
  JOBMANAGER,
  TASKMANAGER
}
