package tally.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Which faults a run injects, in which order: {@code count} faults cycling through the chosen kinds
 * (so each kind comes up {@code count / kinds} times, the first ones once more), in a random order
 * drawn with the seed in which the same kind never strikes twice in a row when that can be avoided.
 * The same kinds, count and seed give the same schedule.
 */
public final class FaultSchedule {

  private FaultSchedule() {}

  public static List<FaultKind> of(List<FaultKind> kinds, int count, long seed) {
    if (kinds.isEmpty() || count < 1) {
      throw new IllegalArgumentException("a schedule needs at least one kind and a positive count");
    }
    Map<FaultKind, Integer> remaining = new EnumMap<>(FaultKind.class);
    for (int i = 0; i < count; i++) {
      remaining.merge(kinds.get(i % kinds.size()), 1, Integer::sum);
    }
    Random random = new Random(seed);
    List<FaultKind> schedule = new ArrayList<>();
    FaultKind previous = null;
    for (int left = count; left > 0; left--) {
      List<FaultKind> candidates = new ArrayList<>(remaining.keySet());
      Collections.shuffle(candidates, random);
      FaultKind chosen = null;
      for (FaultKind candidate : candidates) {
        if (candidate != previous && restStaysSpreadable(remaining, candidate, left - 1)) {
          chosen = candidate;
          break;
        }
      }
      if (chosen == null) { // a repeat cannot be avoided (e.g. one kind only)
        chosen = candidates.get(0);
      }
      schedule.add(chosen);
      if (remaining.merge(chosen, -1, Integer::sum) == 0) {
        remaining.remove(chosen);
      }
      previous = chosen;
    }
    return schedule;
  }

  /**
   * After taking {@code next}, can the other {@code slots} faults still be ordered without a
   * repeat? Only if no kind needs more than every other slot (one fewer when it is {@code next}
   * itself, which cannot come right after).
   */
  private static boolean restStaysSpreadable(
      Map<FaultKind, Integer> remaining, FaultKind next, int slots) {
    for (Map.Entry<FaultKind, Integer> entry : remaining.entrySet()) {
      int count = entry.getValue() - (entry.getKey() == next ? 1 : 0);
      int allowed = entry.getKey() == next ? slots / 2 : (slots + 1) / 2;
      if (count > allowed) {
        return false;
      }
    }
    return true;
  }
}
