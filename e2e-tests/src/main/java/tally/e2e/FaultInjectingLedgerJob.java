package tally.e2e;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import tally.connectors.kafka.KafkaInputRecord;
import tally.jobs.common.JobCommandLine;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.ledger.LedgerTopology;
import tally.testkit.failure.FailureInjector;

/**
 * A test job: the ledger job exactly as {@link LedgerJob} builds it (same source, topology, rules,
 * sink and operator ids) with one extra pass-through operator after the source, a {@link
 * FailureInjector} that throws when {@code bin/tally chaos} drops a trigger file. This module's jar
 * is a Flink application jar with this main class; chaos runs submit it to the cluster. The
 * production job is unchanged.
 */
public final class FaultInjectingLedgerJob {
  public static final String NAME = "tally-ledger-chaos";
  public static final String INJECTOR_UID = "chaos-failure-injector";

  private FaultInjectingLedgerJob() {}

  public static void main(String[] args) throws Exception {
    FaultInjectingLedgerOptions options =
        JobCommandLine.parse(new FaultInjectingLedgerOptions(), args);
    if (options == null) {
      return; // --help was printed
    }
    // The cluster's configuration; the options and safe defaults add to it, as in LedgerJob.
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    LedgerJob.verify(options, options.runtime.configure(env));
    DataStream<KafkaInputRecord> source = LedgerJob.readTransactions(env, options);
    // Same parallelism as the source: a forward edge, chained, so partition order is kept.
    DataStream<KafkaInputRecord> input =
        source
            .map(FailureInjector.<KafkaInputRecord>onTriggerFile(options.failureTriggerDir))
            .returns(source.getType())
            .setParallelism(source.getParallelism())
            .uid(INJECTOR_UID)
            .name("Chaos: fail when triggered");
    LedgerJob.writeOutputs(LedgerTopology.build(input, options.dedupRetention), options);
    env.execute(NAME);
  }
}
