package tally.kafka.local;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
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
 * Everything this JVM logs while it is open, messages and stack traces, for tests that check what
 * is (not) logged. Kafka's clients are captured at INFO, where they print their whole
 * configuration, but the console still gets them only at ERROR, as the test log config wants.
 */
final class LogCapture implements AutoCloseable {

  private static final String KAFKA = "org.apache.kafka";

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final LoggerContext context;
  private final Appender appender;
  private final LoggerConfig kafkaConfig;
  private final boolean addedKafkaConfig;
  private final Level kafkaLevel;
  private final boolean kafkaAdditive;
  private final List<String> addedAppenders = new CopyOnWriteArrayList<>();

  private LogCapture() {
    context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    appender =
        new AbstractAppender("tally-log-capture", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            StringBuilder text =
                new StringBuilder(event.getLoggerName())
                    .append(": ")
                    .append(event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
              StringWriter trace = new StringWriter();
              event.getThrown().printStackTrace(new PrintWriter(trace));
              text.append('\n').append(trace);
            }
            events.add(text.toString());
          }
        };
    appender.start();
    config.getRootLogger().addAppender(appender, Level.ALL, null);

    LoggerConfig existing = config.getLoggerConfig(KAFKA);
    addedKafkaConfig = !existing.getName().equals(KAFKA);
    kafkaConfig = addedKafkaConfig ? new LoggerConfig(KAFKA, Level.INFO, false) : existing;
    kafkaLevel = kafkaConfig.getLevel();
    kafkaAdditive = kafkaConfig.isAdditive();
    kafkaConfig.setLevel(Level.INFO);
    kafkaConfig.setAdditive(false);
    kafkaConfig.addAppender(appender, Level.ALL, null);
    addedAppenders.add(appender.getName());
    for (Appender rootAppender : config.getRootLogger().getAppenders().values()) {
      if (rootAppender != appender
          && !kafkaConfig.getAppenders().containsKey(rootAppender.getName())) {
        kafkaConfig.addAppender(rootAppender, Level.ERROR, null);
        addedAppenders.add(rootAppender.getName());
      }
    }
    if (addedKafkaConfig) {
      config.addLogger(KAFKA, kafkaConfig);
    }
    context.updateLoggers();
  }

  static LogCapture start() {
    return new LogCapture();
  }

  List<String> events() {
    return List.copyOf(events);
  }

  String text() {
    return String.join("\n", events);
  }

  @Override
  public void close() {
    Configuration config = context.getConfiguration();
    config.getRootLogger().removeAppender(appender.getName());
    if (addedKafkaConfig) {
      config.removeLogger(KAFKA);
    } else {
      addedAppenders.forEach(kafkaConfig::removeAppender);
      kafkaConfig.setLevel(kafkaLevel);
      kafkaConfig.setAdditive(kafkaAdditive);
    }
    context.updateLoggers();
    appender.stop();
  }
}
