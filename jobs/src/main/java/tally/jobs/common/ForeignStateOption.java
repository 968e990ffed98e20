package tally.jobs.common;

import picocli.CommandLine.Option;
import tally.connectors.kafka.SourceIdentityGuard;

/**
 * {@code --allow-foreign-state}: the one way to restore state taken against another Kafka cluster
 * or a deleted and recreated input topic (refused otherwise, see {@link SourceIdentityGuard}).
 */
public class ForeignStateOption {
  @Option(
      names = SourceIdentityGuard.ALLOW_FOREIGN_STATE_OPTION,
      description =
          "Restore state even when it was taken against another Kafka cluster or a recreated input"
              + " topic (refused otherwise); logged loudly. Only for a deliberate migration.")
  public boolean allowForeignState;
}
