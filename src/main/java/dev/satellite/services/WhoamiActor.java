package dev.satellite.services;

import dev.satellite.actor.Actor;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Answers {@code {"node":"<node id>"}}: which node of the cluster served the request ({@code GET /whoami}).
 *
 * <p>Event-loop confined; stateless.
 */
public final class WhoamiActor extends Actor<Object> {

  private Future<JsonObject> reply;

  public WhoamiActor() {
    super(Object.class);
  }

  @Override
  protected Future<Void> onStart() {
    reply = Future.succeededFuture(new JsonObject().put("node", binding().nodeId()));
    return Future.succeededFuture();
  }

  @Override
  protected Future<?> onMessage(Message<Object> message) {
    return reply;
  }
}
