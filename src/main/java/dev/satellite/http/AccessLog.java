package dev.satellite.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log line per finished request on the logger {@code satellite.access}, with typed key/value fields — in the
 * JSON log format they are top-level fields of the line: {@code method}, {@code path}, {@code status} (a number),
 * {@code durationMs} (a number), {@code bytes}, {@code remote}, {@code requestId}, {@code traceId}, {@code node},
 * and, for configured routes, {@code route} and {@code outcome} (what the edge policies made of it). A request
 * whose connection closed before its answer was sent is logged with status 499, as nginx does.
 *
 * <p>Thread-safe: immutable; each line is written on the request's event loop when the response ends.
 */
public final class AccessLog implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger("satellite.access");
  private static final String ROUTE = "satellite.route";
  private static final String OUTCOME = "satellite.outcome";
  private static final int CLIENT_CLOSED = 499;

  private final String nodeId;

  public AccessLog(String nodeId) {
    this.nodeId = nodeId;
  }

  /** Records which route took the request and how it ended, for its access-log line. */
  public static void outcome(RoutingContext ctx, String route, String outcome) {
    ctx.put(ROUTE, route);
    ctx.put(OUTCOME, outcome);
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(done -> {
      HttpServerRequest req = ctx.request();
      long micros = (System.nanoTime() - start) / 1000;
      // a response never sent (the connection closed first) is logged as nginx does: 499
      int status = done.failed() && !ctx.response().ended() ? CLIENT_CLOSED : ctx.response().getStatusCode();
      LoggingEventBuilder line = LOG.atInfo()
          .addKeyValue("method", req.method().name())
          .addKeyValue("path", req.path())
          .addKeyValue("status", status)
          .addKeyValue("durationMs", micros / 1000.0)
          .addKeyValue("bytes", ctx.response().bytesWritten())
          .addKeyValue("remote", req.remoteAddress() == null ? "-" : req.remoteAddress().hostAddress())
          .addKeyValue("requestId", RequestIds.of(ctx))
          .addKeyValue("traceId", RequestTraces.of(ctx).traceId())
          .addKeyValue("node", nodeId);
      String route = ctx.get(ROUTE);
      if (route != null) {
        line = line.addKeyValue("route", route).addKeyValue("outcome", ctx.<String>get(OUTCOME));
      }
      line.log("{} {} {}", req.method().name(), req.path(), status);
    });
    ctx.next();
  }
}
