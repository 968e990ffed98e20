package tally.jobs.common;

import picocli.CommandLine.Option;
import tally.connectors.kafka.SourceIdentityGuard;

/**
 * {@code --allow-foreign-state}: the one way to restore state taken against another Kafka cluster
 * or a deleted and recreated input topic (refused otherwise, see {@link SourceIdentityGuard}). It
 * also makes the jobs' exactly-once sink drop the restored pending transactions that the live
 * cluster does not hold, instead of failing over on them for ever ({@link
 * tally.connectors.kafka.ExactlyOnceKafkaSink}).
 */
public class ForeignStateOption {
  @Option(
      names = SourceIdentityGuard.ALLOW_FOREIGN_STATE_OPTION,
      description =
          "Restore state even when it was taken against another Kafka cluster or a recreated input"
              + " topic (refused otherwise); logged loudly. The exactly-once sink's transactions"
              + " still pending on the other cluster are dropped, not committed. Only for a"
              + " deliberate migration.")
  public boolean allowForeignState;
}
