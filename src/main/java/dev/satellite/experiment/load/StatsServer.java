package dev.satellite.experiment.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A loopback HTTP endpoint over a {@link LoadGenerator}, so Chaos Toolkit {@code http} probes can read load
 * statistics: {@code GET /stats?window=10s} answers {@link LoadWindow#toJson()} plus {@code "window"} (the
 * seconds it covers; the run's elapsed seconds when the parameter is absent), and {@code GET /stats/errorRate?window=10s}
 * one of its {@link #FIELDS} as a bare number. It is also a trivial upstream under {@link #UPSTREAM_PATH}. With no load running the answer
 * has the same shape, with zeros. A bad window is a 400 {@code application/problem+json}.
 *
 * <p>Request handling runs on the server's event loop; {@link #port()} and {@link #close()} are thread-safe.
 */
public final class StatsServer {

  /** The path statistics are served on. */
  public static final String PATH = "/stats";
  /**
   * The numbers {@code /stats/{field}} serves alone, as a bare JSON number, so a Chaos Toolkit probe can hold one
   * to a range ({@code tolerance: {type: range, range: [0, 0.01], target: body}}).
   */
  public static final List<String> FIELDS = List.of("sent", "ok", "errors", "throughput", "errorRate", "p50", "p99", "max");
  /**
   * Under this path the server is also a trivial upstream that answers every request 200 ({@code upstream ok}), so an
   * experiment can give a local node a proxy route without starting a process of its own for it.
   */
  public static final String UPSTREAM_PATH = "/up/";

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
    String path = request.path();
    if (path.startsWith(UPSTREAM_PATH)) {
      request.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("upstream ok\n");
      return;
    }
    String field = null;
    if (path.startsWith(PATH + "/")) {
      field = path.substring(PATH.length() + 1);
      if (!FIELDS.contains(field)) {
        problem(request, 404, "Not Found", "no statistic named '" + field + "'; there are " + FIELDS);
        return;
      }
    } else if (!PATH.equals(path)) {
      problem(request, 404, "Not Found", "no resource at " + path + "; statistics are at " + PATH);
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
        .end(field == null ? body.encode() : String.valueOf(body.getValue(field)));
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
