package dev.satellite.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An upstream for proxy tests, on a free loopback port (paths may carry the route's {@code /up} prefix,
 * which a reverse proxy forwards as it is). {@code /status} answers {@link #status}; {@code /slow}
 * answers after 2 s; {@code /headers} returns the request headers it saw (and an {@code X-Request-Id} of its
 * own); {@code /stream} counts the body it receives (completing {@link #firstBytes} when the first bytes
 * arrive) and answers the count; {@code /drip} sends its head and one chunk and then nothing, completing
 * {@link #dripClosed} when the proxy closes that exchange's connection; {@code /unsized} answers without a length
 * (chunked): its first part at once, the rest when the test completes {@link #unsizedRest}; {@code /hold} answers
 * after 200 ms.
 */
public final class TestUpstream {

  public final AtomicInteger hits = new AtomicInteger();
  public final AtomicInteger status = new AtomicInteger(200);
  public final Promise<Void> firstBytes = Promise.promise();
  public final Promise<Void> dripClosed = Promise.promise();
  /** Completed by the test to let {@code /unsized} send the rest of its body and end. */
  public final Promise<Void> unsizedRest = Promise.promise();
  /** Connections the upstream was opened (to see how many a node's pool uses). */
  public final AtomicInteger connections = new AtomicInteger();
  private HttpServer server;

  public Future<Integer> start(Vertx vertx) {
    server = vertx.createHttpServer().connectionHandler(c -> connections.incrementAndGet()).requestHandler(req -> {
      hits.incrementAndGet();
      switch (req.path().replaceFirst("^/up", "")) { // the proxy forwards the full path
        case "/status" -> req.response().setStatusCode(status.get()).end("status " + status.get());
        case "/slow" -> vertx.setTimer(2000, t -> req.response().end("late"));
        case "/headers" -> {
          JsonObject seen = new JsonObject();
          req.headers().forEach(h -> seen.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
          req.response().putHeader("content-type", "application/json").putHeader("X-Request-Id", "upstream-own")
              .end(seen.encode());
        }
        case "/stream" -> {
          AtomicLong bytes = new AtomicLong();
          req.handler(chunk -> {
            bytes.addAndGet(chunk.length());
            firstBytes.tryComplete();
          });
          req.endHandler(v -> req.response().end(Long.toString(bytes.get())));
        }
        case "/drip" -> {
          req.connection().closeHandler(v -> dripClosed.tryComplete());
          req.response().setChunked(true).write("first chunk");
        }
        case "/unsized" -> {
          req.response().setChunked(true).write("first part;");
          unsizedRest.future().onComplete(v -> req.response().end("the rest"));
        }
        case "/hold" -> vertx.setTimer(200, t -> req.response().end("held"));
        default -> req.response().setStatusCode(404).end();
      }
    });
    return server.listen(0, "127.0.0.1").map(HttpServer::actualPort);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
