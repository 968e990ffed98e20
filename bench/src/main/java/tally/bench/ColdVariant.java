package tally.bench;

import java.util.List;
import tally.jobs.common.Delivery;

/**
 * One cold {@code bin/tally run ledger} contender: its delivery guarantee and, for the before/after
 * rows, the {@code -D} settings that undo one shipped change (the same process, the same backlog,
 * only that setting as it was before).
 *
 * @param delivery the job's delivery guarantee
 * @param before what the row undoes, as the report names it; null for the shipped configuration
 * @param flinkProperties {@code key=value} settings passed as {@code -D} to {@code run}
 * @param profiled sampled by a profiler (async-profiler, or JFR), which slows it: a row of its own
 *     so that the other rows stay unprofiled
 */
record ColdVariant(
    Delivery delivery, String before, List<String> flinkProperties, boolean profiled) {

  ColdVariant(Delivery delivery, String before, List<String> flinkProperties) {
    this(delivery, before, flinkProperties, false);
  }

  static final ColdVariant EXACTLY_ONCE = new ColdVariant(Delivery.EXACTLY_ONCE, null, List.of());
  static final ColdVariant AT_LEAST_ONCE = new ColdVariant(Delivery.AT_LEAST_ONCE, null, List.of());

  /** The shipped exactly-once process once more, profiled ({@code --profile}). */
  static final ColdVariant PROFILED_EXACTLY_ONCE =
      new ColdVariant(Delivery.EXACTLY_ONCE, null, List.of(), true);

  /** Before the managed-memory default: Flink's 128 MiB for the local TaskManager's slots. */
  static final ColdVariant BEFORE_MANAGED_MEMORY =
      new ColdVariant(
          Delivery.EXACTLY_ONCE,
          "Flink's 128 MiB local managed memory",
          List.of("taskmanager.memory.managed.size=128m"));

  /** Before partitioned index and filters: RocksDB's full filters, pinned in the block cache. */
  static final ColdVariant BEFORE_PARTITIONED_FILTERS =
      new ColdVariant(
          Delivery.EXACTLY_ONCE,
          "full (not partitioned) index and filters",
          BaselineSettings.FULL_INDEX_FILTERS);

  /** Before the small first level: Flink's 256 MiB L1 and 64 MiB files. */
  static final ColdVariant BEFORE_SMALL_FIRST_LEVEL =
      new ColdVariant(
          Delivery.EXACTLY_ONCE,
          "Flink's 256 MiB first RocksDB level, 64 MiB files",
          BaselineSettings.FLINK_LEVEL_SIZES);

  /**
   * What the bench runs with {@code --cold}: the shipped configuration, then one row per change.
   */
  static final List<ColdVariant> ALL =
      List.of(
          EXACTLY_ONCE,
          AT_LEAST_ONCE,
          BEFORE_MANAGED_MEMORY,
          BEFORE_PARTITIONED_FILTERS,
          BEFORE_SMALL_FIRST_LEVEL);

  /** The variants a bench runs: {@link #ALL}, plus the profiled one when it profiles. */
  static List<ColdVariant> toRun(Profiling profiling) {
    if (!profiling.cold()) {
      return ALL;
    }
    List<ColdVariant> variants = new java.util.ArrayList<>(ALL);
    variants.add(PROFILED_EXACTLY_ONCE);
    return List.copyOf(variants);
  }

  /** Shipped settings, not profiled: a row that shows what users get. */
  boolean shipped() {
    return before == null && !profiled;
  }

  String contender() {
    String shipped = "`bin/tally run ledger`, cold, " + RunKindLabel.of(delivery);
    if (profiled) {
      return shipped + ", profiled (async-profiler; slower than unprofiled)";
    }
    return before == null ? shipped : shipped + ", before: " + before;
  }

  /** {@code run}'s arguments for the settings: {@code -Dkey=value} each. */
  List<String> arguments() {
    return flinkProperties.stream().map(property -> "-D" + property).toList();
  }
}
