package tally.e2e;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** The WARN lines one logger writes while open that start with a given text (tests read them). */
final class WarnLines extends AbstractAppender implements AutoCloseable {
  private final Logger logger;
  private final String prefix;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  WarnLines(String loggerName, String prefix) {
    super("warn-lines-" + loggerName, null, null, true, Property.EMPTY_ARRAY);
    this.logger = (Logger) LogManager.getLogger(loggerName);
    this.prefix = prefix;
    start();
    logger.addAppender(this);
  }

  @Override
  public void append(LogEvent event) {
    String line = event.getMessage().getFormattedMessage();
    if (event.getLevel() == Level.WARN && line.startsWith(prefix)) {
      lines.add(line);
    }
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    logger.removeAppender(this);
    stop();
  }
}
