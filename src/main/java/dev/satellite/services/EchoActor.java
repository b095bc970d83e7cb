package dev.satellite.services;

import dev.satellite.actor.Actor;
import dev.satellite.actor.ActorFailures;
import dev.satellite.actor.BodyTypes;
import dev.satellite.config.Durations;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Answers with the JSON object it was sent ({@code POST /echo}); no body is a 400. Setting {@code delay} (a duration, default
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
    delayMs = Durations.parse(settings().getString("delay", "0ms")).toMillis();
    return Future.succeededFuture();
  }

  @Override
  protected Future<?> onMessage(Message<JsonObject> message) {
    JsonObject body = message.body();
    if (body == null) {
      return Future.failedFuture(new BodyTypes.BadBody(ActorFailures.BAD_REQUEST, "The body is empty; a JSON object is required."));
    }
    if (delayMs == 0) {
      return Future.succeededFuture(body);
    }
    Promise<JsonObject> reply = Promise.promise();
    vertx.setTimer(delayMs, t -> reply.complete(body));
    return reply.future();
  }
}
