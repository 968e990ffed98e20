package tally.tooling.chaos.job;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.jobs.ledger.LedgerJobOptions;

/** The ledger job's options plus where failure triggers appear. */
@Command(name = "ledger-chaos", mixinStandardHelpOptions = true,
    description = "The ledger job with a failure-injection operator after its source (chaos testing only).")
public class ChaosLedgerOptions extends LedgerJobOptions {

  @Option(names = "--failure-trigger-dir", required = true,
      description = "Directory watched for a '" + TriggeredFailure.TRIGGER_FILE + "' file: the first subtask "
          + "that claims it throws once.")
  public String failureTriggerDir;
}
