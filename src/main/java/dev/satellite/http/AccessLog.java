package dev.satellite.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per finished request on the logger {@code satellite.access}: method, path, status,
 * duration, bytes sent, client address and request id — as key/value pairs, so the JSON log format
 * carries them as fields.
 *
 * <p>Thread-safe: stateless; each line is written on the request's event loop when the response ends.
 */
public final class AccessLog implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger("satellite.access");

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(done -> {
      HttpServerRequest req = ctx.request();
      long micros = (System.nanoTime() - start) / 1000;
      int status = ctx.response().getStatusCode();
      LOG.atInfo()
          .addKeyValue("method", req.method().name())
          .addKeyValue("path", req.path())
          .addKeyValue("status", status)
          .addKeyValue("durationMs", micros / 1000.0)
          .addKeyValue("bytes", ctx.response().bytesWritten())
          .addKeyValue("remote", req.remoteAddress() == null ? "-" : req.remoteAddress().hostAddress())
          .addKeyValue("requestId", RequestIds.of(ctx))
          .log("{} {} {}", req.method().name(), req.path(), status);
    });
    ctx.next();
  }
}
