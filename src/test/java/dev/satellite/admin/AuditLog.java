package dev.satellite.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The lines of the logger {@code satellite.audit}, captured (at INFO, kept off the console) until closed. */
final class AuditLog implements AutoCloseable {

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger("satellite.audit");

  private AuditLog() {
    appender.start();
    logger.setLevel(Level.INFO);
    logger.setAdditive(false);
    logger.addAppender(appender);
  }

  static AuditLog capture() {
    return new AuditLog();
  }

  /** Every line so far, parsed. */
  List<JsonObject> lines() {
    return appender.list.stream().map(e -> new JsonObject(e.getFormattedMessage())).toList();
  }

  /** Whether any line holds {@code text} (a token, say, which none may). */
  boolean mentions(String text) {
    return appender.list.stream().anyMatch(e -> e.getFormattedMessage().contains(text));
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setAdditive(true);
    logger.setLevel(null);
  }
}
