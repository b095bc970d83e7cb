package dev.satellite.health;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /health/live} (200 while no event loop is wedged) and {@code /health/ready} (200 only while the
 * node is ready; 503 while starting and from the moment shutdown begins). Both answer JSON and are never
 * refused by edge policies.
 *
 * <p>Thread-safe: reads the thread-safe {@link NodeStatus}.
 */
public final class HealthHandlers {

  private final NodeStatus status;

  public HealthHandlers(NodeStatus status) {
    this.status = status;
  }

  /** Mounts {@code GET /health/live} and {@code GET /health/ready} (and their {@code HEAD}). */
  public void mount(Router router) {
    router.route("/health/live").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::live);
    router.route("/health/ready").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::ready);
  }

  public void live(RoutingContext ctx) {
    boolean live = status.live();
    JsonObject body = new JsonObject()
        .put("status", live ? "UP" : "DOWN")
        .put("node", status.nodeId());
    if (!live) {
      body.put("reason", status.wedgedReason());
    }
    send(ctx, live ? 200 : 503, body);
  }

  public void ready(RoutingContext ctx) {
    boolean ready = status.ready();
    JsonObject body = new JsonObject()
        .put("status", ready ? "UP" : "DOWN")
        .put("node", status.nodeId())
        .put("phase", status.phase().label())
        .mergeIn(status.detail());
    send(ctx, ready ? 200 : 503, body);
  }

  private static void send(RoutingContext ctx, int code, JsonObject body) {
    ctx.response()
        .setStatusCode(code)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }
}
