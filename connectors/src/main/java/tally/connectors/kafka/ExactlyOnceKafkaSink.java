package tally.connectors.kafka;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tally's exactly-once Kafka sink: the connector's {@link KafkaSink} with three corrections, under
 * the same operators, uids and state (it implements the same sink interfaces with the connector's
 * own writer, committer, serializers and post-commit topology, so a job restores from a savepoint
 * of either and both restore from its).
 *
 * <h2>A fenced writer closes without taking its TaskManager down (always)</h2>
 *
 * <p>During a failover, the new attempt of a sink subtask takes over the transactional ids of the
 * old one ({@code initTransactions} bumps the producer epoch), often while the old attempt is still
 * being cancelled or, after a hung or cut-off TaskManager comes back, only then being cancelled.
 * The old producer's pending sends then fail with {@link InvalidProducerEpochException} or {@link
 * ProducerFencedException}, and connector 5.0.0's {@code KafkaWriter.close()} rethrows that. Flink
 * 2.2 closes the writer in the failed task's cleanup, and an exception there is "FATAL - exception
 * in exception handler": the whole TaskManager exits, other jobs' tasks included, and comes back a
 * cold JVM (measured: most TaskManager exits of a chaos soak, docs/cluster.md). The fencing is the
 * exactly-once protocol working, not a failure: the newer attempt replays this writer's open
 * transaction from the checkpoint. So this sink's writer closes the connector's writer (which
 * releases every producer first) and, when its close fails only because a newer attempt fenced it,
 * logs one WARN line instead of rethrowing. Every other failure of close is rethrown as before; a
 * send failure while running still fails the task through {@code write}, {@code flush} and {@code
 * prepareCommit}, which check for it first; and nothing is left to commit by a writer closing after
 * its last pre-commit, so no committed output depends on what close reports.
 *
 * <h2>A writer whose JVM stood still begins no transaction (always)</h2>
 *
 * <p>A TaskManager that stood still (stopped, frozen) for longer than the heartbeat timeout was
 * declared dead, and its tasks were started again on another one, under the same transactional ids
 * (the connector's POOLING naming reuses a subtask's ids in every attempt). When it runs again, its
 * old tasks go on for a moment before they learn that they were replaced, and the old writer's next
 * snapshot begins a transaction with {@code initTransactions} on a pooled id: that fences whatever
 * the newer attempt runs under the id, including a transaction a completed checkpoint counts on,
 * whose commit then fails and whose output is lost (a 30-minute chaos soak lost 349 records so,
 * docs/cluster.md). So this writer asks a {@link PauseWatchdog} before every snapshot whether the
 * JVM stood still since the last one for longer than {@link PauseWatchdog#PAUSE}, and if so fails
 * its task instead of beginning a transaction. What it cannot stop: a request the old writer had
 * already handed to its producer before the stop, and an old writer that ran on, cut off from the
 * JobManager by the network, rather than standing still.
 *
 * <h2>Foreign pending transactions are dropped (with {@value
 * SourceIdentityGuard#ALLOW_FOREIGN_STATE_OPTION} only)</h2>
 *
 * <p>A job started with the option may restore state taken against another Kafka cluster. The
 * sink's state holds the transactions pre-committed at the checkpoint (transactional id, producer
 * id, epoch), and on restore its committer commits them by resuming that producer id on the live
 * cluster. When the state was taken against another cluster, those transactions live there, not
 * here: the live cluster answers {@link InvalidPidMappingException} (the transactional id is
 * unknown here, or belongs to another producer id). Connector 5.0.0 signals that as a failure of
 * unknown reason, so the job fails over, restores the same committables and fails again, for ever
 * (FLINK-39072). Committing them is impossible and meaningless here; their records were written to
 * the other cluster, and those the state's source offsets had not yet covered are read and written
 * again here.
 *
 * <p>What it changes: its committer delegates to the connector's; only a committable that was
 * restored (its writer's producer is not attached: the connector resumes the transaction from the
 * serialized producer id and epoch) and whose commit fails because the live cluster does not hold
 * that transaction under that producer id and epoch ({@link InvalidPidMappingException}, {@link
 * ProducerFencedException}, {@link InvalidProducerEpochException}, {@link
 * InvalidTxnStateException}, {@link UnknownProducerIdException}, anywhere in the cause chain) is
 * signalled as failed with a known reason (dropped, as the connector already does for a fenced
 * producer) instead of an unknown one. Each subtask logs one WARN line per restored checkpoint
 * naming how many it dropped and why (after the connector's own ERROR line per transaction). On the
 * same cluster a restored pending transaction is held by the broker and commits as usual, so
 * nothing is dropped: the broker keeps a transactional id for {@code
 * transactional.id.expiration.ms} (7 days by default) after its last use, and would have aborted a
 * transaction left open that long at its transaction timeout anyway. A commit that fails for any
 * other reason (a retriable error, an authorization failure) and every commit of this run's own
 * transactions are handled exactly as the connector handles them; so is everything without the
 * option.
 *
 * <p>Why a wrapper, not a setting: connector 5.0.0 has neither, and Flink 2.2's committer operator
 * throws on every commit failure of unknown reason. Dropping the sink's state instead (another uid,
 * {@code --allowNonRestoredState}) would change the savepoint-compatible uids and lose pending
 * output on the same cluster.
 *
 * <p>Note on the writer: it keeps a dropped transaction's id out of its pool until the first of its
 * own transactions is committed (the connector then releases every older id), and its abort of
 * lingering transactions skips the restored ids; both are the connector's behaviour for any
 * restored transaction that fails to commit.
 */
public final class ExactlyOnceKafkaSink<IN>
    implements Sink<IN>,
        SupportsWriterState<IN, KafkaWriterState>,
        SupportsCommitter<KafkaCommittable>,
        SupportsPostCommitTopology<KafkaCommittable>,
        LineageVertexProvider {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceKafkaSink.class);

  private final KafkaSink<IN> delegate;
  private final boolean dropForeignTransactions;

  /**
   * @param delegate an exactly-once sink
   * @param dropForeignTransactions whether the job adopts foreign state ({@value
   *     SourceIdentityGuard#ALLOW_FOREIGN_STATE_OPTION}): restored pending transactions the live
   *     cluster does not hold are then dropped
   */
  public ExactlyOnceKafkaSink(KafkaSink<IN> delegate, boolean dropForeignTransactions) {
    this.delegate = delegate;
    this.dropForeignTransactions = dropForeignTransactions;
  }

  /** Whether restored pending transactions the live cluster does not hold are dropped. */
  public boolean dropsForeignTransactions() {
    return dropForeignTransactions;
  }

  @Override
  public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
    return new FenceTolerantWriter<>(delegate.createWriter(context), context);
  }

  @Override
  public StatefulSinkWriter<IN, KafkaWriterState> restoreWriter(
      WriterInitContext context, Collection<KafkaWriterState> recoveredState) throws IOException {
    return new FenceTolerantWriter<>(delegate.restoreWriter(context, recoveredState), context);
  }

  @Override
  public SimpleVersionedSerializer<KafkaWriterState> getWriterStateSerializer() {
    return delegate.getWriterStateSerializer();
  }

  @Override
  public Committer<KafkaCommittable> createCommitter(CommitterInitContext context)
      throws IOException {
    Committer<KafkaCommittable> committer = delegate.createCommitter(context);
    if (!dropForeignTransactions || context.getRestoredCheckpointId().isEmpty()) {
      return committer; // nothing restored, nothing foreign
    }
    return new DroppingCommitter(committer, context.getTaskInfo().getIndexOfThisSubtask());
  }

  @Override
  public SimpleVersionedSerializer<KafkaCommittable> getCommittableSerializer() {
    return delegate.getCommittableSerializer();
  }

  @Override
  public void addPostCommitTopology(DataStream<CommittableMessage<KafkaCommittable>> committables) {
    // Co-locates the committer with the writer (they share the connector's backchannel).
    delegate.addPostCommitTopology(committables);
  }

  @Override
  public LineageVertex getLineageVertex() {
    return delegate.getLineageVertex();
  }

  /**
   * What in {@code failure} says a newer producer with the same transactional id fenced this one.
   */
  private static Optional<Throwable> fencing(Throwable failure) {
    return KafkaFailures.firstCause(
        failure, ProducerFencedException.class, InvalidProducerEpochException.class);
  }

  /**
   * The connector's writer, whose close does not fail when a newer attempt fenced its producer (see
   * the class comment); everything else is the connector's.
   */
  static final class FenceTolerantWriter<IN>
      implements StatefulSinkWriter<IN, KafkaWriterState>,
          CommittingSinkWriter<IN, KafkaCommittable> {
    private final TwoPhaseCommittingStatefulSink.PrecommittingStatefulSinkWriter<
            IN, KafkaWriterState, KafkaCommittable>
        delegate;
    private final int subtask;
    private final int attempt;
    private final PauseWatchdog watchdog;
    private long lastLookNanos;

    FenceTolerantWriter(
        TwoPhaseCommittingStatefulSink.PrecommittingStatefulSinkWriter<
                IN, KafkaWriterState, KafkaCommittable>
            delegate,
        WriterInitContext context) {
      this(
          delegate,
          context.getTaskInfo().getIndexOfThisSubtask(),
          context.getTaskInfo().getAttemptNumber(),
          PauseWatchdog.start(
              "tally-pause-watchdog-sink-" + context.getTaskInfo().getIndexOfThisSubtask()));
    }

    FenceTolerantWriter(
        TwoPhaseCommittingStatefulSink.PrecommittingStatefulSinkWriter<
                IN, KafkaWriterState, KafkaCommittable>
            delegate,
        int subtask,
        int attempt,
        PauseWatchdog watchdog) {
      this.delegate = delegate;
      this.subtask = subtask;
      this.attempt = attempt;
      this.watchdog = watchdog;
      this.lastLookNanos = watchdog.now();
    }

    @Override
    public void write(IN element, Context context) throws IOException, InterruptedException {
      delegate.write(element, context);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
      delegate.flush(endOfInput);
    }

    @Override
    public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
      delegate.writeWatermark(watermark);
    }

    @Override
    public Collection<KafkaCommittable> prepareCommit() throws IOException, InterruptedException {
      return delegate.prepareCommit();
    }

    /**
     * The connector's snapshot, which begins the next transaction ({@code initTransactions} on a
     * pooled transactional id), unless this JVM stood still since the last one (see the class
     * comment): then this task fails instead.
     */
    @Override
    public List<KafkaWriterState> snapshotState(long checkpointId) throws IOException {
      Optional<Duration> pause = watchdog.pausedSince(lastLookNanos);
      if (pause.isPresent()) {
        throw new IOException(
            String.format(
                "Kafka sink subtask %d (attempt %d) does not begin a transaction after checkpoint"
                    + " %d: this JVM stood still for %.1f s, long enough for its TaskManager to be"
                    + " declared dead and its tasks started again elsewhere under the same"
                    + " transactional ids, whose open transaction a new one here would fence",
                subtask, attempt, checkpointId, pause.get().toMillis() / 1000.0));
      }
      lastLookNanos = watchdog.now();
      return delegate.snapshotState(checkpointId);
    }

    @Override
    public void close() throws Exception {
      watchdog.close();
      try {
        delegate.close();
      } catch (Exception e) {
        Optional<Throwable> fencing = fencing(e);
        if (fencing.isEmpty()) {
          throw e;
        }
        LOG.warn(
            "Kafka sink subtask {} (attempt {}) closed after a newer attempt fenced its producer"
                + " ({}: {}); that attempt replays this one's open transaction from the checkpoint",
            subtask,
            attempt,
            fencing.get().getClass().getSimpleName(),
            fencing.get().getMessage());
      }
    }
  }

  /**
   * Whether {@code failure} says the live cluster does not hold the transaction under the producer
   * id and epoch the state recorded.
   */
  static boolean notHeldHere(Throwable failure) {
    return KafkaFailures.firstCause(
            failure,
            InvalidPidMappingException.class,
            ProducerFencedException.class,
            InvalidProducerEpochException.class,
            InvalidTxnStateException.class,
            UnknownProducerIdException.class)
        .isPresent();
  }

  /** The connector's committer, with restored transactions this cluster does not hold dropped. */
  static final class DroppingCommitter implements Committer<KafkaCommittable> {
    private final Committer<KafkaCommittable> delegate;
    private final int subtask;
    private long dropped;

    DroppingCommitter(Committer<KafkaCommittable> delegate, int subtask) {
      this.delegate = delegate;
      this.subtask = subtask;
    }

    /** How many restored transactions this committer dropped so far. */
    long dropped() {
      return dropped;
    }

    @Override
    public void commit(Collection<CommitRequest<KafkaCommittable>> requests)
        throws IOException, InterruptedException {
      List<Tolerant> tolerant = new ArrayList<>(requests.size());
      List<CommitRequest<KafkaCommittable>> wrapped = new ArrayList<>(requests.size());
      for (CommitRequest<KafkaCommittable> request : requests) {
        if (request.getCommittable().getProducer().isPresent()) {
          wrapped.add(request); // this run's own transaction: the connector decides alone
        } else {
          Tolerant t = new Tolerant(request);
          tolerant.add(t);
          wrapped.add(t);
        }
      }
      try {
        delegate.commit(wrapped);
      } finally {
        report(tolerant);
      }
    }

    private void report(List<Tolerant> requests) {
      List<String> ids = new ArrayList<>();
      Set<String> reasons = new TreeSet<>();
      for (Tolerant request : requests) {
        if (request.dropReason != null) {
          ids.add(request.getCommittable().getTransactionalId());
          reasons.add(request.dropReason.getClass().getSimpleName());
        }
      }
      if (ids.isEmpty()) {
        return;
      }
      dropped += ids.size();
      LOG.warn(
          "ADOPTING FOREIGN STATE ({}): sink subtask {} dropped {} pending Kafka transaction{}"
              + " restored from the state instead of committing {}: the live Kafka cluster does"
              + " not hold {} ({}), as when the state was taken against another cluster, where"
              + " {} records stay; the connector's ERROR line for each is expected. Transactional"
              + " id{}: {}",
          SourceIdentityGuard.ALLOW_FOREIGN_STATE_OPTION,
          subtask,
          ids.size(),
          ids.size() == 1 ? "" : "s",
          ids.size() == 1 ? "it" : "them",
          ids.size() == 1
              ? "it under the producer id and epoch the state recorded"
              : "them under the producer ids and epochs the state recorded",
          String.join(", ", reasons),
          ids.size() == 1 ? "its" : "their",
          ids.size() == 1 ? "" : "s",
          String.join(", ", ids));
    }

    @Override
    public void close() throws Exception {
      delegate.close();
    }
  }

  /** A restored committable's request: a failure because this cluster lacks it drops it. */
  static final class Tolerant implements Committer.CommitRequest<KafkaCommittable> {
    private final Committer.CommitRequest<KafkaCommittable> request;
    private Throwable dropReason;

    Tolerant(Committer.CommitRequest<KafkaCommittable> request) {
      this.request = request;
    }

    @Override
    public KafkaCommittable getCommittable() {
      return request.getCommittable();
    }

    @Override
    public int getNumberOfRetries() {
      return request.getNumberOfRetries();
    }

    @Override
    public void signalFailedWithKnownReason(Throwable t) {
      // A fenced or aborted transaction: the connector drops it (and says so) with or without us.
      request.signalFailedWithKnownReason(t);
    }

    @Override
    public void signalFailedWithUnknownReason(Throwable t) {
      if (notHeldHere(t)) {
        dropReason = t;
        request.signalFailedWithKnownReason(t);
      } else {
        request.signalFailedWithUnknownReason(t);
      }
    }

    @Override
    public void retryLater() {
      request.retryLater();
    }

    @Override
    public void updateAndRetryLater(KafkaCommittable committable) {
      request.updateAndRetryLater(committable);
    }

    @Override
    public void signalAlreadyCommitted() {
      request.signalAlreadyCommitted();
    }

    @Override
    public String toString() {
      return request.toString(); // the connector logs requests
    }
  }
}
