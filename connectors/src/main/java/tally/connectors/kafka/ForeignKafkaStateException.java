package tally.connectors.kafka;

/**
 * A restore refused by {@link SourceIdentityGuard}: the checkpoint or savepoint was taken against
 * another Kafka cluster, or against a topic that has since been deleted and recreated. The message
 * is one line naming both sides and the way out. The guard throws it inside Flink's {@code
 * SuppressRestartsException}, so the job fails at once instead of restarting into the same state.
 */
public final class ForeignKafkaStateException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public ForeignKafkaStateException(String message) {
    super(message);
  }
}
