package tally.testkit.audit;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Counts the copies found of each expected record of one output, by the record's ordinal (0 ..
 * expected-1), in a few bytes per expected record.
 */
final class CopyTally {

  static final int MAX_EXAMPLES = 5;

  private final String output;
  private final int expected;
  private final int[] exactCopies;
  private final BitSet present;
  private final List<String> examples = new ArrayList<>();
  private long found;
  private long presentCount;
  private long duplicated;
  private long mismatched;

  CopyTally(String output, long expected) {
    this.output = output;
    this.expected = Math.toIntExact(expected);
    this.exactCopies = new int[this.expected];
    this.present = new BitSet(this.expected);
  }

  /** A copy equal to expected record {@code ordinal}. */
  void exact(int ordinal, Supplier<String> describe) {
    found++;
    markPresent(ordinal);
    if (exactCopies[ordinal]++ > 0) {
      duplicated++;
      example(() -> "duplicated " + describe.get());
    }
  }

  /** A copy that claims to be expected record {@code ordinal} but differs from it. */
  void different(int ordinal, Supplier<String> describe) {
    found++;
    markPresent(ordinal);
    mismatched++;
    example(() -> "mismatched " + describe.get());
  }

  /** A record that matches no expected record. */
  void unexpected(Supplier<String> describe) {
    found++;
    mismatched++;
    example(() -> "unexpected " + describe.get());
  }

  String output() {
    return output;
  }

  long expected() {
    return expected;
  }

  long lost() {
    return expected - presentCount;
  }

  long found() {
    return found;
  }

  boolean isPresent(int ordinal) {
    return present.get(ordinal);
  }

  /**
   * The counts, with examples of lost records described by {@code describeExpected} (ordinal to
   * text).
   */
  OutputCounts counts(IntFunction<String> describeExpected) {
    List<String> all = new ArrayList<>(examples);
    if (lost() > 0 && all.size() < MAX_EXAMPLES) {
      for (int ordinal = present.nextClearBit(0);
          ordinal < expected && all.size() < MAX_EXAMPLES;
          ordinal = present.nextClearBit(ordinal + 1)) {
        all.add("lost " + describeExpected.apply(ordinal));
      }
    }
    return new OutputCounts(output, expected, found, lost(), duplicated, mismatched, all);
  }

  private void markPresent(int ordinal) {
    if (!present.get(ordinal)) {
      present.set(ordinal);
      presentCount++;
    }
  }

  private void example(Supplier<String> text) {
    if (examples.size() < MAX_EXAMPLES) {
      examples.add(text.get());
    }
  }
}
