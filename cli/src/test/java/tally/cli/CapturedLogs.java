package tally.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every log event of this JVM at {@code level} or above while open, with stack traces, whatever the
 * test log configuration lets through to the console (it still gets only what it got before).
 */
final class CapturedLogs implements AutoCloseable {

  /** One event: logger, level, message, and its stack trace if it has one. */
  record Event(String logger, Level level, String message, String stackTrace) {
    String text() {
      return logger + " " + level + ": " + message + (stackTrace == null ? "" : "\n" + stackTrace);
    }
  }

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final LoggerContext context;
  private final Appender appender;
  private final Map<LoggerConfig, Level> levels = new HashMap<>();
  private final Map<LoggerConfig, Map<String, Appender>> appenders = new HashMap<>();

  private CapturedLogs(Level level, boolean lowerLevels) {
    context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    appender =
        new AbstractAppender("tally-captured-logs", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            String trace = null;
            if (event.getThrown() != null) {
              StringWriter text = new StringWriter();
              event.getThrown().printStackTrace(new PrintWriter(text));
              trace = text.toString();
            }
            events.add(
                new Event(
                    event.getLoggerName(),
                    event.getLevel(),
                    event.getMessage().getFormattedMessage(),
                    trace));
          }
        };
    appender.start();
    LoggerConfig root = config.getRootLogger();
    if (lowerLevels) {
      for (LoggerConfig logger : config.getLoggers().values()) {
        levels.put(logger, logger.getLevel());
        // The console keeps its old threshold: each appender is re-added with the logger's level.
        Map<String, Appender> existing = new HashMap<>(logger.getAppenders());
        appenders.put(logger, existing);
        existing.forEach(
            (name, a) -> {
              logger.removeAppender(name);
              logger.addAppender(a, logger.getLevel(), null);
            });
        if (logger.getLevel().isMoreSpecificThan(level)) {
          logger.setLevel(level);
        }
      }
    }
    // Every logger of the test configuration is additive: the root sees every event once.
    root.addAppender(appender, level, null);
    context.updateLoggers();
  }

  /**
   * Every event at {@code level} or above (e.g. INFO, where Kafka clients log their configuration),
   * with each logger lowered to it if needed.
   */
  static CapturedLogs at(Level level) {
    return new CapturedLogs(level, true);
  }

  /** What the log configuration lets through at {@code level} or above: what a user sees. */
  static CapturedLogs shownAt(Level level) {
    return new CapturedLogs(level, false);
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  String text() {
    StringBuilder text = new StringBuilder();
    events.forEach(event -> text.append(event.text()).append('\n'));
    return text.toString();
  }

  @Override
  public void close() {
    context.getConfiguration().getRootLogger().removeAppender(appender.getName());
    levels.forEach(
        (logger, level) -> {
          logger.removeAppender(appender.getName());
          appenders
              .get(logger)
              .forEach(
                  (name, a) -> {
                    logger.removeAppender(name);
                    logger.addAppender(a, null, null);
                  });
          logger.setLevel(level);
        });
    context.updateLoggers();
    appender.stop();
  }
}
