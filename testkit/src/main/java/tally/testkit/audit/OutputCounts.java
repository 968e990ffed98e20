package tally.testkit.audit;

import java.util.List;

/**
 * How one output topic compares with the expectation.
 *
 * @param output balances, alerts or dlq
 * @param expected records the rules require
 * @param found records read from the topic, whatever they are
 * @param lost expected records with no copy at all
 * @param duplicated extra exact copies of expected records
 * @param mismatched copies that differ from the expected record, plus records not expected at all
 * @param examples a few of the problems, for a human
 */
public record OutputCounts(
    String output,
    long expected,
    long found,
    long lost,
    long duplicated,
    long mismatched,
    List<String> examples) {

  public OutputCounts {
    examples = List.copyOf(examples);
  }

  public boolean clean() {
    return lost == 0 && duplicated == 0 && mismatched == 0;
  }
}
