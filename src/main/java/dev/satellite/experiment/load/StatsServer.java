package dev.satellite.experiment.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A loopback HTTP endpoint over a {@link LoadGenerator}, so Chaos Toolkit {@code http} probes can read load
 * statistics: {@code GET /stats?window=10s} answers {@link LoadWindow#toJson()} plus {@code "window"} (the
 * seconds it covers; the run's elapsed seconds when the parameter is absent). With no load running the answer
 * has the same shape, with zeros. A bad window is a 400 {@code application/problem+json}.
 *
 * <p>Request handling runs on the server's event loop; {@link #port()} and {@link #close()} are thread-safe.
 */
public final class StatsServer {

  /** The path statistics are served on. */
  public static final String PATH = "/stats";

  private final HttpServer server;

  private StatsServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Binds 127.0.0.1 on a free port; {@code load} is asked for the current generator on every request (it may
   * give null: no load running).
   */
  public static Future<StatsServer> start(Vertx vertx, Supplier<LoadGenerator> load) {
    Objects.requireNonNull(load, "load");
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    server.requestHandler(request -> handle(request, load));
    return server.listen().map(StatsServer::new);
  }

  /** The port the server listens on. */
  public int port() {
    return server.actualPort();
  }

  /** Stops listening. */
  public Future<Void> close() {
    return server.close();
  }

  private static void handle(HttpServerRequest request, Supplier<LoadGenerator> load) {
    if (!PATH.equals(request.path())) {
      problem(request, 404, "Not Found", "no resource at " + request.path() + "; statistics are at " + PATH);
      return;
    }
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().putHeader("Allow", "GET, HEAD");
      problem(request, 405, "Method Not Allowed", PATH + " answers GET only");
      return;
    }
    String param = request.getParam("window");
    Duration window = null;
    if (param != null) {
      try {
        window = WindowParam.parse(param);
      } catch (IllegalArgumentException e) {
        problem(request, 400, "Bad Request", e.getMessage());
        return;
      }
    }
    LoadGenerator generator;
    try {
      generator = load.get();
    } catch (RuntimeException e) {
      generator = null;
    }
    LoadWindow stats = generator == null ? LoadWindow.EMPTY
        : window == null ? generator.total() : generator.window(window);
    double seconds = window != null ? window.toNanos() / 1e9
        : generator == null ? 0.0 : generator.elapsed().toNanos() / 1e9;
    JsonObject body = stats.toJson().put("window", seconds);
    request.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  private static void problem(HttpServerRequest request, int status, String title, String detail) {
    JsonObject body = new JsonObject()
        .put("type", "about:blank")
        .put("title", title)
        .put("status", status)
        .put("detail", detail);
    request.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/problem+json")
        .end(body.encode());
  }
}
