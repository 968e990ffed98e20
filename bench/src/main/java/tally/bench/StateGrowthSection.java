package tally.bench;

import java.util.List;
import java.util.Optional;

/** The report's state-growth section: the table, how it is measured, and its plots. */
final class StateGrowthSection {
  private StateGrowthSection() {}

  static String markdown(BenchResults results, List<String> images) {
    List<RunResult> points = results.stateGrowth();
    if (points.size() < 2) {
      return "";
    }
    BenchSettings s = results.settings();
    boolean preloaded = !results.restores().isEmpty();
    StringBuilder md = new StringBuilder("## State growth (exactly-once)\n\n");
    if (preloaded) {
      md.append(
          "Each state-growth run first writes one opening deposit per account into its input"
              + " topic, runs the job until all are applied and committed, and cancels it; the"
              + " measured run then resumes from the retained checkpoint (claim mode), so RocksDB"
              + " holds one `AccountState` per account (plus one dedup entry per applied"
              + " transaction) before the same backlog as the main run ("
              + Format.integer(s.records())
              + " transactions) is measured as there. The main run needs no preload: its backlog"
              + " touches all of its "
              + Format.integer(s.accounts())
              + " accounts. *Restore* times a job started from a savepoint (canonical format,"
              + " taken after the catch-up) and from the checkpoint retained when the job was then"
              + " cancelled: from submitting the job (graph upload included) until its first"
              + " checkpoint after the restore completed (no-claim mode, as `tally` resumes); in"
              + " brackets, until all tasks were running, i.e. the state was loaded (polled through"
              + " the REST API). The first checkpoint is triggered up to one interval ("
              + s.checkpointInterval().toMillis()
              + " ms) after the tasks run.\n\n");
    } else {
      md.append(
          "Each run applies the same number of transactions; more accounts means more keys in"
              + " RocksDB (one `AccountState` per account touched) besides the one dedup entry per"
              + " applied transaction (`--no-state-preload`: accounts the backlog does not touch"
              + " have no state).\n\n");
    }
    md.append(
        "| accounts | full state | records/s | checkpoint p50 / p99 | incremental checkpoint p50"
            + " | restore from savepoint | restore from retained checkpoint |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
    for (RunResult run : points) {
      var c = run.checkpoints();
      Optional<RestoreTiming> restore =
          run.spec().label().equals("state")
              ? results.restore(run.spec().accounts())
              : Optional.empty();
      md.append("| ")
          .append(Format.integer(run.spec().accounts()))
          .append(" | ")
          .append(Format.mib(c.fullStateBytes()))
          .append(" | ")
          .append(Format.integer(run.throughput().recordsPerSecond()))
          .append(" | ")
          .append(Format.millis(c.durationMillis().p50()))
          .append(" / ")
          .append(Format.millis(c.durationMillis().p99()))
          .append(" | ")
          .append(Format.mib(c.incrementalBytes()))
          .append(" | ")
          .append(restore.map(r -> restore(r.fromSavepoint())).orElse("-"))
          .append(" | ")
          .append(restore.map(r -> restore(r.fromCheckpoint())).orElse("-"))
          .append(" |\n");
    }
    md.append('\n');
    if (preloaded) {
      md.append(
          "| accounts | opening deposits written | applied and committed in | savepoint | first"
              + " checkpoint after restore from the savepoint, uploaded / full | the same from the"
              + " retained checkpoint |\n");
      md.append("|---:|---:|---:|---:|---:|---:|\n");
      for (RestoreTiming r : results.restores()) {
        md.append("| ")
            .append(Format.integer(r.accounts()))
            .append(" | ")
            .append(Format.integer(r.depositsPerSecond()))
            .append(" records/s | ")
            .append(Format.decimal(r.applySeconds(), 1))
            .append(" s | ")
            .append(Format.mib(r.savepointBytes()))
            .append(" in ")
            .append(Format.decimal(r.savepointSeconds(), 1))
            .append(" s | ")
            .append(firstCheckpoint(r.fromSavepoint()))
            .append(" | ")
            .append(firstCheckpoint(r.fromCheckpoint()))
            .append(" |\n");
      }
      md.append('\n');
    }
    image(md, images, BenchCharts.STATE_GROWTH, "Checkpoint duration and throughput vs state size");
    image(
        md,
        images,
        StateSweepCharts.STATE_RESTORE,
        "Checkpoint duration and restore time vs state size");
    return md.toString();
  }

  static String restore(RestoreTiming.Restore restore) {
    if (restore == null) {
      return "failed";
    }
    return Format.decimal(restore.checkpointedSeconds(), 1)
        + " s (running "
        + Format.decimal(restore.runningSeconds(), 1)
        + " s)";
  }

  private static String firstCheckpoint(RestoreTiming.Restore restore) {
    return restore == null
        ? "-"
        : Format.mib(restore.firstCheckpointBytes())
            + " / "
            + Format.mib(restore.firstCheckpointFullBytes());
  }

  static void image(StringBuilder md, List<String> images, String path, String alt) {
    if (images.contains(path)) {
      md.append("![").append(alt).append("](").append(path).append(")\n\n");
    }
  }
}
