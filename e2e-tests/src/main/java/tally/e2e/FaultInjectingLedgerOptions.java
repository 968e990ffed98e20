package tally.e2e;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tally.jobs.ledger.LedgerJobOptions;
import tally.testkit.failure.FailureInjector;

/** The ledger job's options plus where failure triggers appear. */
@Command(
    name = "ledger-chaos",
    mixinStandardHelpOptions = true,
    description =
        "The ledger job with a failure-injection operator after its source (chaos testing only).")
public class FaultInjectingLedgerOptions extends LedgerJobOptions {

  @Option(
      names = "--failure-trigger-dir",
      required = true,
      description =
          "Directory watched for a '"
              + FailureInjector.TRIGGER_FILE
              + "' file: the first subtask "
              + "that claims it throws once.")
  public String failureTriggerDir;
}
