package dev.satellite.services;

import dev.satellite.actor.Actor;
import dev.satellite.config.Durations;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Answers with the JSON object it was sent ({@code POST /echo}). Setting {@code delay} (a duration, default
 * {@code 0ms}) adds a fixed service time on a timer — never a sleep — so overload experiments can give the
 * node a small, known capacity.
 *
 * <p>Event-loop confined; stateless.
 */
public final class EchoActor extends Actor<JsonObject> {

  private long delayMs;

  public EchoActor() {
    super(JsonObject.class);
  }

  @Override
  protected Future<Void> onStart() {
    delayMs = Durations.parse(binding().settings().getString("delay", "0ms")).toMillis();
    return Future.succeededFuture();
  }

  @Override
  protected Future<?> onMessage(Message<JsonObject> message) {
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    if (delayMs == 0) {
      return Future.succeededFuture(body);
    }
    Promise<JsonObject> reply = Promise.promise();
    vertx.setTimer(delayMs, t -> reply.complete(body));
    return reply.future();
  }
}
