package tally.chaos;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a chaos run does.
 *
 * @param kinds the faults to choose from
 * @param count how many faults to inject (a run without a duration)
 * @param spacing quiet time after a fault's recovery before the next one (a run without a duration)
 * @param seed fault order, targets and the generator's records
 * @param rate transactions per second fed while faults happen
 * @param restartDelay how long a killed process stays down
 * @param networkFaultDuration how long a partition, a slow link or a full disk lasts
 * @param hangDuration how long a TaskManager stays stopped (longer than Flink's heartbeat timeout:
 *     it is declared dead)
 * @param recoveryTimeout a fault that has not recovered by then fails the run
 * @param warmUp steady output before the first fault
 * @param lagThreshold output more than this behind the input counts as unavailable
 * @param auditTimeout how long the final audit waits for the job to drain
 * @param parallelism the job's parallelism
 * @param duration a soak run: how long faults are injected, one due every {@code faultEvery}
 *     (instead of {@code count} faults); null for a run of {@code count} faults
 * @param faultEvery a soak run's period, null without a duration
 */
public record ChaosSettings(
    List<FaultKind> kinds,
    int count,
    Duration spacing,
    long seed,
    double rate,
    Duration restartDelay,
    Duration hangDuration,
    Duration networkFaultDuration,
    Duration recoveryTimeout,
    Duration warmUp,
    Duration lagThreshold,
    Duration auditTimeout,
    int parallelism,
    Duration duration,
    Duration faultEvery) {

  public ChaosSettings {
    kinds = List.copyOf(kinds);
    if (kinds.isEmpty() || count < 1 || rate <= 0 || parallelism < 1) {
      throw new IllegalArgumentException(
          "chaos needs at least one fault kind, a positive count, rate and parallelism");
    }
    if ((duration == null) != (faultEvery == null)) {
      throw new IllegalArgumentException("a soak run needs both a duration and a fault period");
    }
    if (duration != null) {
      new SoakSchedule(kinds, seed, duration, faultEvery); // refuses a duration below its period
    }
  }

  /** The soak run's schedule; empty for a run of {@code count} faults. */
  Optional<SoakSchedule> soak() {
    return duration == null
        ? Optional.empty()
        : Optional.of(new SoakSchedule(kinds, seed, duration, faultEvery));
  }

  Map<String, Object> asMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("faults", kinds.stream().map(FaultKind::cliName).collect(Collectors.joining(",")));
    if (duration == null) {
      map.put("count", count);
    } else {
      map.put("duration", duration.toString());
      map.put("faultEvery", faultEvery.toString());
    }
    map.put("seed", seed);
    map.put("rate", rate);
    map.put("spacing", spacing.toString());
    map.put("restartDelay", restartDelay.toString());
    map.put("hangDuration", hangDuration.toString());
    map.put("networkFaultDuration", networkFaultDuration.toString());
    map.put("recoveryTimeout", recoveryTimeout.toString());
    map.put("parallelism", parallelism);
    return map;
  }
}
