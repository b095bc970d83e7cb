package dev.satellite.admin;

import dev.satellite.chaos.Fault;
import dev.satellite.chaos.FaultRegistry;
import dev.satellite.http.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.Set;

/**
 * The fault-injection API, mounted only when {@code chaos.enabled} is true (otherwise its paths answer 404):
 * <ul>
 *   <li>{@code POST /admin/chaos/faults} {@code {"type":"crash","target":"<actor id>","count":N}} or
 *       {@code {"type":"hang","target":"<actor id>","durationMs":D}} → 201 with the fault;</li>
 *   <li>{@code GET /admin/chaos/faults} → the active faults;</li>
 *   <li>{@code DELETE /admin/chaos/faults/{id}} → 204, or 404.</li>
 * </ul>
 * Faults live in memory only and expire.
 *
 * <p>Thread-safe: the registry is.
 */
public final class ChaosEndpoint implements AdminEndpoint {

  static final int MAX_COUNT = 1_000_000;
  static final long MAX_HANG_MS = 600_000;

  private final FaultRegistry faults;
  private final Set<String> actorIds;
  private final String nodeId;

  public ChaosEndpoint(FaultRegistry faults, Set<String> actorIds, String nodeId) {
    this.faults = faults;
    this.actorIds = Set.copyOf(actorIds);
    this.nodeId = nodeId;
  }

  @Override
  public void mount(Router router) {
    router.post("/admin/chaos/faults").handler(BodyHandler.create(false).setBodyLimit(16 * 1024)).handler(this::create);
    router.get("/admin/chaos/faults").handler(this::list);
    router.delete("/admin/chaos/faults/:id").handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      badRequest(ctx, "The body must be a JSON object.");
      return;
    }
    if (body == null) {
      badRequest(ctx, "The body must be a JSON object.");
      return;
    }
    String type = body.getValue("type") instanceof String s ? s : null;
    String target = body.getValue("target") instanceof String s ? s : null;
    if (target == null || !actorIds.contains(target)) {
      badRequest(ctx, "'target' must be the id of an actor of this node, one of " + actorIds + ".");
      return;
    }
    Fault fault;
    if ("crash".equals(type)) {
      Object count = body.getValue("count", 1);
      if (!(count instanceof Integer n) || n < 1 || n > MAX_COUNT) {
        badRequest(ctx, "'count' must be a whole number from 1 to " + MAX_COUNT + ".");
        return;
      }
      fault = faults.crash(target, n);
    } else if ("hang".equals(type)) {
      Object duration = body.getValue("durationMs");
      if (!(duration instanceof Integer || duration instanceof Long) || ((Number) duration).longValue() < 1
          || ((Number) duration).longValue() > MAX_HANG_MS) {
        badRequest(ctx, "'durationMs' must be a whole number from 1 to " + MAX_HANG_MS + ".");
        return;
      }
      fault = faults.hang(target, Duration.ofMillis(((Number) duration).longValue()));
    } else {
      badRequest(ctx, "'type' must be \"crash\" or \"hang\".");
      return;
    }
    ctx.response().setStatusCode(201)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.LOCATION, "/admin/chaos/faults/" + fault.id())
        .end(fault.toJson().encode());
  }

  private void list(RoutingContext ctx) {
    JsonArray list = new JsonArray();
    faults.active().forEach(f -> list.add(f.toJson()));
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("faults", list).encode());
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (faults.remove(id)) {
      ctx.response().setStatusCode(204).end();
    } else {
      Problem.of("not-found", "Not Found", 404, "No active fault with id " + id + ".").send(ctx, nodeId);
    }
  }

  private void badRequest(RoutingContext ctx, String detail) {
    Problem.of("bad-fault", "Bad Request", 400, detail).send(ctx, nodeId);
  }
}
