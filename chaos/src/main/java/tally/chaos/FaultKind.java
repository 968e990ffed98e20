package tally.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The faults {@code tally chaos} injects, by their command-line names. */
public enum FaultKind {
  /** kill -9 of a TaskManager, restarted after the restart delay. */
  TM_KILL("tm-kill", "kill -9 of a TaskManager (restarted after a delay)"),
  /**
   * kill -9 of the JobManager, restarted after the restart delay; ZooKeeper HA recovers the job.
   */
  JM_KILL("jm-kill", "kill -9 of the JobManager (restarted; HA recovers the job)"),
  /** kill -9 of one Kafka broker, restarted after the restart delay. */
  BROKER_KILL("broker-kill", "kill -9 of a Kafka broker (restarted after a delay)"),
  /** kill -STOP of a TaskManager for the hang duration, then kill -CONT. */
  TM_HANG("tm-hang", "kill -STOP of a TaskManager, kill -CONT after the hang duration"),
  /** An exception thrown inside the job by its failure-injection operator. */
  JOB_EXCEPTION(
      "job-exception", "an exception thrown inside the job (its failure-injection operator)");

  private final String cliName;
  private final String description;

  FaultKind(String cliName, String description) {
    this.cliName = cliName;
    this.description = description;
  }

  public String cliName() {
    return cliName;
  }

  public String description() {
    return description;
  }

  @Override
  public String toString() {
    return cliName;
  }

  public static FaultKind parse(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    for (FaultKind kind : values()) {
      if (kind.cliName.equals(wanted)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown fault '" + text + "': expected one of " + names());
  }

  /** "tm-kill,jm-kill" -> [TM_KILL, JM_KILL]; duplicates are dropped, order kept. */
  public static List<FaultKind> parseList(String text) {
    Set<FaultKind> kinds = new LinkedHashSet<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        kinds.add(parse(part));
      }
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("name at least one fault: " + names());
    }
    return new ArrayList<>(kinds);
  }

  public static String names() {
    return Arrays.stream(values()).map(FaultKind::cliName).collect(Collectors.joining(","));
  }
}
