package dev.satellite.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the router's own errors (no route, wrong method, malformed or oversized request, a handler that threw) into
 * problem+json responses. What a client caused — a URI that does not decode, a body too large, a connection that
 * went away mid-request — is answered (where an answer can still be sent) and told to {@link ClientErrors}, never
 * logged as a stack trace; only a handler that failed on its own is a 500 with its stack trace in the log. A
 * failing handler costs its request a 500, never the node.
 *
 * <p>Thread-safe: stateless.
 */
public final class ErrorResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {
  }

  public static void install(Router router, String nodeId, ClientErrors errors) {
    router.errorHandler(400, ctx -> clientError(ctx, nodeId, errors, Problem.of("bad-request", "Bad Request", 400,
        "The request could not be understood.")));
    router.errorHandler(404, ctx -> Problem.of("not-found", "Not Found", 404, "No route for " + ctx.request().path())
        .send(ctx, nodeId));
    router.errorHandler(405, ctx -> {
      ctx.response().putHeader(HttpHeaders.ALLOW, allowed(router, ctx.request().path()));
      Problem.of("method-not-allowed", "Method Not Allowed", 405,
          "Method " + ctx.request().method() + " is not allowed on " + ctx.request().path()).send(ctx, nodeId);
    });
    router.errorHandler(413, ctx -> clientError(ctx, nodeId, errors, Problem.of("payload-too-large",
        "Payload Too Large", 413, "The request body is larger than this route accepts.")));
    router.errorHandler(500, ctx -> failed(ctx, nodeId, errors));
    // vertx-web's body handler fails a request whose connection broke with status 200 ("no error status")
    router.errorHandler(200, ctx -> failed(ctx, nodeId, errors));
  }

  /**
   * A request that failed without an error status of its own: if its connection is gone (the client left, or the
   * connection was closed for a malformed body) there is no one to answer and nothing of the node's to log; else a
   * handler failed, which is a 500 and an ERROR with its stack trace.
   */
  private static void failed(RoutingContext ctx, String nodeId, ClientErrors errors) {
    if (ctx.response().closed()) {
      errors.report("connection-closed", ctx.request().method() + " " + ctx.request().path()
          + ": the connection closed before the request was handled");
      return;
    }
    LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    Problem.of("internal", "Internal Server Error", 500,
        "The node failed to handle the request; see its log for the request id.").send(ctx, nodeId);
  }

  private static void clientError(RoutingContext ctx, String nodeId, ClientErrors errors, Problem problem) {
    errors.report("bad-request", problem.status() + " " + ctx.request().method() + " " + ctx.request().path()
        + (ctx.failure() == null ? "" : ": " + ctx.failure().getMessage()));
    if (!ctx.response().closed()) {
      problem.send(ctx, nodeId);
    }
  }

  /** The methods of the routes declared for exactly this path (what a 405's {@code Allow} header must list). */
  private static String allowed(Router router, String path) {
    Set<String> methods = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      if (path.equals(route.getPath()) && route.methods() != null) {
        route.methods().forEach(m -> methods.add(m.name()));
      }
    }
    return String.join(", ", methods);
  }
}
