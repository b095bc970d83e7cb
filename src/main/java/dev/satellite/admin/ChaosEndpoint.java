package dev.satellite.admin;

import dev.satellite.chaos.Fault;
import dev.satellite.chaos.FaultRegistry;
import dev.satellite.chaos.FaultSpec;
import dev.satellite.http.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;

/**
 * The fault-injection API, mounted only when {@code chaos.enabled} is true (otherwise its paths answer 404):
 * <ul>
 *   <li>{@code POST /admin/chaos/faults} with a fault ({@link FaultSpec#parse}) → 201 with the fault, its id, seed
 *       and time left; 400 problem+json naming every bad field;</li>
 *   <li>{@code GET /admin/chaos/faults} → the active faults, each with {@code remainingMs};</li>
 *   <li>{@code DELETE /admin/chaos/faults/{id}} → 204, or 404;</li>
 *   <li>{@code DELETE /admin/chaos/faults} → 200 with the faults it reverted (all of them): what an experiment's
 *       rollback calls, so nothing stays armed after it.</li>
 * </ul>
 * Faults live in memory only and revert themselves when their {@code durationMs} runs out.
 *
 * <p>Thread-safe: the registry is.
 */
public final class ChaosEndpoint implements AdminEndpoint {

  private final FaultRegistry faults;
  private final FaultSpec.Catalog catalog;
  private final String nodeId;

  public ChaosEndpoint(FaultRegistry faults, FaultSpec.Catalog catalog, String nodeId) {
    this.faults = faults;
    this.catalog = catalog;
    this.nodeId = nodeId;
  }

  @Override
  public void mount(Router router) {
    router.post("/admin/chaos/faults").handler(BodyHandler.create(false).setBodyLimit(16 * 1024)).handler(this::create);
    router.get("/admin/chaos/faults").handler(this::list);
    router.delete("/admin/chaos/faults").handler(this::deleteAll);
    router.delete("/admin/chaos/faults/:id").handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    if (body == null) {
      Problem.of("bad-fault", "Bad Request", 400, "The body must be a JSON object.").send(ctx, nodeId);
      return;
    }
    Fault fault;
    try {
      fault = faults.inject(FaultSpec.parse(body, catalog));
    } catch (FaultSpec.BadFault bad) {
      Problem.of("bad-fault", "Bad Request", 400, String.join(" ", bad.problems())).send(ctx, nodeId);
      return;
    }
    ctx.response().setStatusCode(201)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.LOCATION, "/admin/chaos/faults/" + fault.id())
        .end(fault.toJson(now()).encode());
  }

  private void list(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("faults", active()).encode());
  }

  private JsonArray active() {
    Instant now = now();
    JsonArray list = new JsonArray();
    faults.active().forEach(f -> list.add(f.toJson(now)));
    return list;
  }

  @Override
  public void snapshot(JsonObject state) {
    state.put("faults", active());
  }

  private void deleteAll(RoutingContext ctx) {
    Instant now = now();
    JsonArray reverted = new JsonArray();
    faults.removeAll().forEach(f -> reverted.add(f.toJson(now)));
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("reverted", reverted).encode());
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (faults.remove(id)) {
      ctx.response().setStatusCode(204).end();
    } else {
      Problem.of("not-found", "Not Found", 404, "No active fault with id " + id + ".").send(ctx, nodeId);
    }
  }

  private Instant now() {
    return faults.clock().instant();
  }
}
