package tally.jobs.common;

import java.time.Duration;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;

/** Accepts durations the way Flink's configuration does: "500ms", "1s", "15 min", "7d". */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return TimeUtils.parseDuration(value);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration (examples: 500ms, 1s, 2min, 7d)");
    }
  }
}
