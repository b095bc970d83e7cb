package dev.satellite.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * The lines of the logger {@code satellite.audit} during each test (at INFO, kept off the console): register it with
 * {@code @RegisterExtension final AuditLog audit = new AuditLog();}.
 */
final class AuditLog implements BeforeEachCallback, AfterEachCallback {

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger("satellite.audit");

  @Override
  public void beforeEach(ExtensionContext context) {
    appender.list.clear();
    appender.start();
    logger.setLevel(Level.INFO);
    logger.setAdditive(false);
    logger.addAppender(appender);
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
  public void afterEach(ExtensionContext context) {
    logger.detachAppender(appender);
    logger.setAdditive(true);
    logger.setLevel(null);
  }
}
