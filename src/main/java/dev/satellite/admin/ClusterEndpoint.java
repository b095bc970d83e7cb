package dev.satellite.admin;

import dev.satellite.cluster.ClusterMembership;
import dev.satellite.cluster.ClusterRouter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code GET /admin/cluster}: this node's id, the members (id, address, since, the actors they serve), the
 * last membership changes with timestamps, the nodes this node has ejected from its routing, and the serving
 * members it sends nothing to yet because no tick of theirs has arrived since they began to serve
 * ({@code awaitingFirstTick}: a node just started, or one whose bus connection this node refuses).
 * A standalone node answers {@code {"node":…,"clustered":false}}.
 *
 * <p>Thread-safe: reads thread-safe views.
 */
public final class ClusterEndpoint implements AdminEndpoint {

  private final String nodeId;
  private final ClusterMembership membership;
  private final ClusterRouter router;

  /** {@code membership} and {@code router} are null on a standalone node. */
  public ClusterEndpoint(String nodeId, ClusterMembership membership, ClusterRouter router) {
    this.nodeId = nodeId;
    this.membership = membership;
    this.router = router;
  }

  @Override
  public void mount(Router r) {
    r.get("/admin/cluster").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(view().encodePrettily()));
  }

  @Override
  public void snapshot(JsonObject state) {
    state.put("cluster", view());
  }

  private JsonObject view() {
    JsonObject body;
    if (membership == null) {
      body = new JsonObject().put("node", nodeId).put("clustered", false);
    } else {
      body = membership.toJson().put("clustered", true);
      JsonObject ejected = new JsonObject();
      router.ejected().forEach((node, e) -> ejected.put(node,
          new JsonObject().put("since", e.since().toString()).put("reason", e.reason().label())));
      body.put("ejected", ejected);
      JsonArray awaiting = new JsonArray();
      for (Object m : body.getJsonArray("members")) {
        JsonObject member = (JsonObject) m;
        String id = member.getString("id");
        if (id != null && "serving".equals(member.getString("state")) && !router.heardFrom(id)) {
          awaiting.add(id);
        }
      }
      body.put("awaitingFirstTick", awaiting);
    }
    return body;
  }
}
