package dev.satellite.gateway;

import dev.satellite.config.SatelliteConfig;
import dev.satellite.http.RequestIds;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The routes that lead to actors: the handler does no work itself, it sends the request to the actor's
 * address over the event bus (request/reply, bounded by the request deadline) and writes the reply.
 *
 * <p>Event-loop confined: one instance per gateway verticle instance.
 */
final class ActorRoutes {

  static final String REQUEST_ID_HEADER = "x-request-id";

  private final Vertx vertx;
  private final SatelliteConfig config;

  ActorRoutes(Vertx vertx, SatelliteConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  void mount(Router router) {
    router.get("/hello").handler(ctx -> ask(ctx, "hello", "text/plain; charset=utf-8"));
  }

  private void ask(RoutingContext ctx, String address, String contentType) {
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(config.http().requestTimeout().toMillis())
        .addHeader(REQUEST_ID_HEADER, RequestIds.of(ctx));
    vertx.eventBus().request(address, null, options).onComplete(ar -> {
      if (ar.succeeded()) {
        Object body = ar.result().body();
        ctx.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
            .end(String.valueOf(body));
      } else {
        BusFailures.respond(ctx, config.nodeId(), address, ar.cause());
      }
    });
  }
}
