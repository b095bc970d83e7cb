package dev.satellite.services;

import dev.satellite.actor.Actor;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;

/**
 * Answers every message with the plain text {@code Hello, World!}: the smallest actor, and the one the
 * benchmarks measure.
 *
 * <p>Event-loop confined; stateless.
 */
public final class HelloActor extends Actor<Object> {

  public HelloActor() {
    super(Object.class);
  }

  public static final String GREETING = "Hello, World!";
  private static final Future<String> REPLY = Future.succeededFuture(GREETING);

  @Override
  protected Future<?> onMessage(Message<Object> message) {
    return REPLY;
  }
}
