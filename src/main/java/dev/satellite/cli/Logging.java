package dev.satellite.cli;

import ch.qos.logback.classic.LoggerContext;
import dev.satellite.config.SatelliteConfig;
import org.slf4j.LoggerFactory;

/**
 * Sets up logging from the config before the first logger is created: Logback reads {@code conf/logback.xml}
 * from the jar (or the file {@code log.config} names), and that file picks the text or JSON appender and the
 * root level from the properties set here. Vert.x and Hazelcast log through SLF4J.
 *
 * <p>Call once, from the main thread, before anything logs.
 */
final class Logging {

  static final String BUILT_IN = "conf/logback.xml";
  /** The system property Hazelcast's static loggers read their kind from. */
  private static final String HAZELCAST_LOGGING = "hazelcast.logging.type";

  private Logging() {
  }

  static void configure(SatelliteConfig.Log log) {
    configure(log.format(), log.level(), log.config().map(p -> p.toAbsolutePath().toString()).orElse(BUILT_IN));
  }

  /** The built-in configuration at {@code level}, text format: for commands that are not a node (chaos run). */
  static void configureQuiet(String level) {
    configure("text", level, BUILT_IN);
  }

  /**
   * Turns a logger off: for the chaos runner, whose load generator sees nodes die on purpose and counts the
   * connections that break (Vert.x would log each one as an ERROR).
   */
  static void silence(String logger) {
    if (LoggerFactory.getLogger(logger) instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(ch.qos.logback.classic.Level.OFF);
    }
  }

  /**
   * Hazelcast logs nothing: for a command that reads a Hazelcast config but is not a node (check-config), where its
   * readers would say where they read from through java.util.logging, which nothing configures there.
   */
  static void hazelcastSilent() {
    System.setProperty(HAZELCAST_LOGGING, "none");
  }

  private static void configure(String format, String level, String file) {
    System.setProperty("satellite.log.format", format);
    System.setProperty("satellite.log.level", level);
    System.setProperty("logback.configurationFile", file);
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.setProperty(HAZELCAST_LOGGING, "slf4j");
  }

  /** Writes out what is buffered and stops the appenders; safe to call more than once. */
  static void flush() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }
}
