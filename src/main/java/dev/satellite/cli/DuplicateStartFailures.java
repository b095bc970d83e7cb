package dev.satellite.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops the stack trace Vert.x logs when a clustered Vert.x fails to start ("Failed to initialize clustered
 * Vert.x"): the node reports the same failure itself, in one line that names the config keys to change (an event
 * bus port in use, say), and a start failure caused by the configuration is not a stack trace's business. Every
 * other event passes. Installed by the built-in {@code conf/logback.xml}.
 *
 * <p>Thread-safe: stateless.
 */
public final class DuplicateStartFailures extends TurboFilter {

  static final String VERTX_IMPL = "io.vertx.core.impl.VertxImpl";
  static final String MESSAGE = "Failed to initialize clustered Vert.x";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    return level == Level.ERROR && MESSAGE.equals(format) && VERTX_IMPL.equals(logger.getName())
        ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
