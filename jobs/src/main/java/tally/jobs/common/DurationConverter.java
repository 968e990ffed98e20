package tally.jobs.common;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;

/**
 * Reads durations the way Flink's configuration does ("500ms", "90s", "2min", "2m", "1h", "7d"; a
 * bare number is milliseconds), plus ISO-8601 ("PT2M"). Negative durations are refused.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  public static Duration parse(String value) {
    Duration duration;
    try {
      String text = value.trim();
      duration =
          text.regionMatches(true, 0, "P", 0, 1)
              ? Duration.parse(text)
              : TimeUtils.parseDuration(text);
    } catch (IllegalArgumentException | DateTimeParseException | NullPointerException e) {
      duration = null;
    }
    if (duration == null || duration.isNegative()) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration (examples: 500ms, 90s, 2min, 1h, 7d, PT2M)");
    }
    return duration;
  }
}
