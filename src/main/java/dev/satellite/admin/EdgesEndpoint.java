package dev.satellite.admin;

import dev.satellite.edge.EdgeBus;
import dev.satellite.edge.EdgePolicies;
import dev.satellite.edge.Outcome;
import dev.satellite.edge.RoutePolicy;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code GET /admin/edges}: per route the breaker state and failure count, rate-limiter tokens left and
 * refusals, bulkhead in-flight and refusals, retries and budget left, outcome counts; and the node's
 * shedding state. Actor-to-actor calls appear as routes named {@code actor:<address>}.
 *
 * <p>Thread-safe: reads thread-safe policies.
 */
public final class EdgesEndpoint implements AdminEndpoint {

  private final EdgePolicies policies;
  private final EdgeBus actorCalls;

  public EdgesEndpoint(EdgePolicies policies, EdgeBus actorCalls) {
    this.policies = policies;
    this.actorCalls = actorCalls;
  }

  @Override
  public void mount(Router router) {
    router.get("/admin/edges").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(policies.toJson(actorCalls).encodePrettily()));
  }

  /**
   * The policies, and each route's p99 by kind of outcome since the last snapshot (the console's only: reading it
   * starts a new interval) with which outcomes make each kind.
   */
  @Override
  public void snapshot(JsonObject state) {
    state.put("edges", policies.toJson(actorCalls));
    JsonObject latency = new JsonObject();
    for (RoutePolicy route : policies.routes()) {
      latency.put(route.spec().name(), route.latencySinceLastRead());
    }
    state.put("latency", latency);
    JsonObject kinds = new JsonObject();
    for (Outcome o : Outcome.values()) {
      kinds.put(o.label(), o.kind().label());
    }
    state.put("outcomeKinds", kinds);
  }
}
