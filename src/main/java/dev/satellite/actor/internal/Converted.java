package dev.satellite.actor.internal;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * A received message whose body was turned into the type its actor takes (bytes parsed as JSON, say): the handler
 * sees the converted body; replies and failures go to the original message.
 *
 * <p>Event-loop confined, like the message it wraps.
 */
final class Converted implements Message<Object> {

  private final Message<Object> original;
  private final Object body;

  Converted(Message<Object> original, Object body) {
    this.original = original;
    this.body = body;
  }

  @Override
  public String address() {
    return original.address();
  }

  @Override
  public MultiMap headers() {
    return original.headers();
  }

  @Override
  public Object body() {
    return body;
  }

  @Override
  public String replyAddress() {
    return original.replyAddress();
  }

  @Override
  public boolean isSend() {
    return original.isSend();
  }

  @Override
  public void reply(Object message, DeliveryOptions options) {
    original.reply(message, options);
  }

  @Override
  public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
    return original.replyAndRequest(message, options);
  }

  @Override
  public void fail(int failureCode, String message) {
    original.fail(failureCode, message);
  }
}
