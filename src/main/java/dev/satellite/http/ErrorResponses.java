package dev.satellite.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the router's own errors (no route, wrong method, malformed or oversized request, a handler
 * that threw) into problem+json responses. A failing handler costs its request a 500, never the node.
 *
 * <p>Thread-safe: stateless.
 */
public final class ErrorResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {
  }

  public static void install(Router router, String nodeId) {
    router.errorHandler(400, ctx -> problem(ctx, nodeId, Problem.of("bad-request", "Bad Request", 400,
        "The request could not be understood.")));
    router.errorHandler(404, ctx -> problem(ctx, nodeId, Problem.of("not-found", "Not Found", 404,
        "No route for " + ctx.request().path())));
    router.errorHandler(405, ctx -> {
      ctx.response().putHeader(HttpHeaders.ALLOW, allowed(router, ctx.request().path()));
      problem(ctx, nodeId, Problem.of("method-not-allowed", "Method Not Allowed", 405,
          "Method " + ctx.request().method() + " is not allowed on " + ctx.request().path()));
    });
    router.errorHandler(413, ctx -> problem(ctx, nodeId, Problem.of("payload-too-large", "Payload Too Large", 413,
        "The request body is larger than this route accepts.")));
    router.errorHandler(500, ctx -> {
      LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
      problem(ctx, nodeId, Problem.of("internal", "Internal Server Error", 500,
          "The node failed to handle the request; see its log for the request id."));
    });
  }

  /** The methods of the routes declared for exactly this path (what a 405's {@code Allow} header must list). */
  private static String allowed(Router router, String path) {
    java.util.Set<String> methods = new java.util.TreeSet<>();
    for (Route route : router.getRoutes()) {
      if (path.equals(route.getPath()) && route.methods() != null) {
        route.methods().forEach(m -> methods.add(m.name()));
      }
    }
    return String.join(", ", methods);
  }

  private static void problem(RoutingContext ctx, String nodeId, Problem problem) {
    problem.send(ctx, nodeId);
  }
}
