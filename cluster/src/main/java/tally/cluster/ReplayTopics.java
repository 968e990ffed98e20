package tally.cluster;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a replay writes under: {@code <topic>.replay-<n>} for each output topic, and its own
 * transactional-id prefix and consumer group, so it can neither touch the live job's transactions
 * nor move its committed offsets.
 */
public record ReplayTopics(
    int number,
    String balances,
    String alerts,
    String dlq,
    String transactionalIdPrefix,
    String groupId) {

  public static final String SUFFIX = ".replay-";

  /**
   * Replay {@code n} of the ledger writing normally to {@code balances}, {@code alerts}, {@code
   * dlq}.
   */
  public static ReplayTopics of(
      int n, String balances, String alerts, String dlq, String idPrefix) {
    return new ReplayTopics(
        n,
        balances + SUFFIX + n,
        alerts + SUFFIX + n,
        dlq + SUFFIX + n,
        idPrefix + "-replay-" + n,
        idPrefix + "-replay-" + n);
  }

  /** The number after the highest existing {@code <balances>.replay-<n>} topic. */
  public static int next(String balances, Set<String> existingTopics) {
    Pattern pattern = Pattern.compile(Pattern.quote(balances + SUFFIX) + "(\\d+)");
    int highest = 0;
    for (String topic : existingTopics) {
      Matcher matcher = pattern.matcher(topic);
      if (matcher.matches()) {
        highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
      }
    }
    return highest + 1;
  }

  public List<String> outputTopics() {
    return List.of(balances, alerts, dlq);
  }
}
