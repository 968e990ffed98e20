package tally.cluster;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tally replay start|verify}: re-running the ledger from an older savepoint, safely. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Re-runs the ledger job from an older savepoint. Everything committed after that savepoint"
            + " is emitted again, so by default the replay writes to new, versioned topics"
            + " (tally.balances.replay-<n>, ...) with its own transactional ids and consumer group;"
            + " 'verify' checks that every re-emitted balance update equals the original with the"
            + " same (accountId, seq). Consumers that read a replay into the live topics drop"
            + " re-emitted updates by (accountId, seq).",
    subcommands = {ReplayStartCommand.class, ReplayVerifyCommand.class})
public final class ReplayCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: start or verify");
  }
}
