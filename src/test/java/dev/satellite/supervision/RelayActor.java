package dev.satellite.supervision;

import dev.satellite.actor.Actor;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;

/** A test actor that forwards every message to the address in its {@code target} setting, on behalf of the original. */
public class RelayActor extends Actor<Object> {

  public RelayActor() {
    super(Object.class);
  }

  @Override
  protected Future<?> onMessage(Message<Object> message) {
    return ask(message, binding().settings().getString("target"), message.body()).map(Message::body);
  }
}
