package tally.tooling.chaos.job;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import tally.connectors.kafka.KafkaInputRecord;
import tally.jobs.common.JobCommandLine;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerTopology;

/**
 * The ledger job exactly as {@link LedgerJob} builds it (same source, topology, rules, sink and
 * operator ids) with one extra pass-through operator after the source, {@link TriggeredFailure},
 * which throws when {@code bin/tally chaos} drops a trigger file. Chaos runs submit this main class
 * from a copy of the job jar with these classes added ({@code ChaosJobJar}); the production job
 * is unchanged.
 */
public final class FaultInjectingLedgerJob {
  public static final String NAME = "tally-ledger-chaos";
  public static final String INJECTOR_UID = "chaos-failure-injector";

  private FaultInjectingLedgerJob() {}

  public static void main(String[] args) throws Exception {
    ChaosLedgerOptions options = JobCommandLine.parse(new ChaosLedgerOptions(), args);
    if (options == null) {
      return; // --help was printed
    }
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(options.runtime.toConfiguration());
    LedgerJob.verify(options);
    DataStream<KafkaInputRecord> source = LedgerJob.readTransactions(env, options);
    // Same parallelism as the source: a forward edge, chained, so partition order is kept.
    DataStream<KafkaInputRecord> input = source
        .map(new TriggeredFailure(options.failureTriggerDir))
        .returns(source.getType())
        .setParallelism(source.getParallelism())
        .uid(INJECTOR_UID)
        .name("Chaos: fail when triggered");
    LedgerJob.writeOutputs(LedgerTopology.build(input, options.dedupRetention), options);
    env.execute(NAME);
  }
}
