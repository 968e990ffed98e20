package tally.jobs;

import java.util.Arrays;
import tally.jobs.ledger.LedgerJob;
import tally.jobs.revenue.RevenueJob;

/**
 * Main class of the job jar: {@code flink run tally-jobs.jar <job> [options]}, where job is {@code
 * ledger} or {@code revenue}. Each job prints its options with {@code --help}.
 */
public final class TallyJobs {
  private TallyJobs() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      throw new IllegalArgumentException(
          "name a job to run: ledger or revenue (then its options, or --help)");
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "ledger" -> LedgerJob.main(rest);
      case "revenue" -> RevenueJob.main(rest);
      default ->
          throw new IllegalArgumentException(
              "unknown job '" + args[0] + "': expected ledger or revenue");
    }
  }
}
