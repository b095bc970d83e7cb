package dev.satellite.admin;

import dev.satellite.supervision.SupervisionTree;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * {@code GET /admin/supervision}: the supervision tree as JSON — each supervisor with its strategy and
 * limits, each child with wanted/alive instances, restarts, last crash and current backoff.
 *
 * <p>Thread-safe: reads the thread-safe {@link SupervisionTree}.
 */
public final class SupervisionEndpoint implements AdminEndpoint {

  private final SupervisionTree tree;
  private final String rootPath;

  public SupervisionEndpoint(SupervisionTree tree, String rootPath) {
    this.tree = tree;
    this.rootPath = rootPath;
  }

  @Override
  public void mount(Router router) {
    router.get("/admin/supervision").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(tree().encodePrettily()));
  }

  private io.vertx.core.json.JsonObject tree() {
    var root = tree.tree(rootPath);
    return root == null ? new io.vertx.core.json.JsonObject() : root;
  }

  @Override
  public void snapshot(io.vertx.core.json.JsonObject state) {
    state.put("supervision", tree());
  }
}
