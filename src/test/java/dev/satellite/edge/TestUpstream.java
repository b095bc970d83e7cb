package dev.satellite.edge;

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
 * {@link #dripClosed} when the proxy closes that exchange's connection.
 */
final class TestUpstream {

  final AtomicInteger hits = new AtomicInteger();
  final AtomicInteger status = new AtomicInteger(200);
  final Promise<Void> firstBytes = Promise.promise();
  final Promise<Void> dripClosed = Promise.promise();
  private HttpServer server;

  Future<Integer> start(Vertx vertx) {
    server = vertx.createHttpServer().requestHandler(req -> {
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
        default -> req.response().setStatusCode(404).end();
      }
    });
    return server.listen(0, "127.0.0.1").map(HttpServer::actualPort);
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
