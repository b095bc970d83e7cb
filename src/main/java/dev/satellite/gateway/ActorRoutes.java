package dev.satellite.gateway;

import dev.satellite.actor.Deadlines;
import dev.satellite.cluster.BusRouter;
import dev.satellite.config.SatelliteConfig;
import dev.satellite.http.Problem;
import dev.satellite.http.RequestIds;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;

/**
 * The routes that lead to actors: the handler does no work itself, it sends the request to the actor's
 * address (request/reply, bounded by the request's deadline, which travels with the message) and writes
 * the reply. The deadline is {@code http.requestTimeout} from arrival, shortened by a client's
 * {@value #TIMEOUT_HEADER} header.
 *
 * <p>Event-loop confined: one instance per gateway verticle instance.
 */
final class ActorRoutes {

  /** Client header: the most milliseconds the client will wait; it can shorten the deadline, never extend it. */
  static final String TIMEOUT_HEADER = "X-Request-Timeout-Ms";
  static final String TEXT = "text/plain; charset=utf-8";
  static final String JSON = "application/json";
  static final int MAX_JSON_BODY = 1024 * 1024;

  private final SatelliteConfig config;
  private final BusRouter bus;
  private final Clock clock;

  ActorRoutes(SatelliteConfig config, BusRouter bus, Clock clock) {
    this.config = config;
    this.bus = bus;
    this.clock = clock;
  }

  void mount(Router router) {
    router.get("/hello").handler(ctx -> ask(ctx, "hello", null, TEXT));
    router.get("/whoami").handler(ctx -> ask(ctx, "whoami", null, JSON));
    router.post("/echo").handler(BodyHandler.create().setBodyLimit(MAX_JSON_BODY)).handler(ctx -> {
      JsonObject body;
      try {
        body = ctx.body().asJsonObject();
      } catch (DecodeException | ClassCastException e) {
        body = null;
      }
      if (body == null) {
        Problem.of("bad-json", "Bad Request", 400, "The body must be a JSON object.").send(ctx, config.nodeId());
        return;
      }
      ask(ctx, "echo", body, JSON);
    });
  }

  private void ask(RoutingContext ctx, String address, Object body, String contentType) {
    long timeoutMs = config.http().requestTimeout().toMillis();
    String clientTimeout = ctx.request().getHeader(TIMEOUT_HEADER);
    if (clientTimeout != null) {
      long given = parsePositive(clientTimeout);
      if (given <= 0) {
        Problem.of("bad-timeout", "Bad Request", 400, TIMEOUT_HEADER + " must be a positive whole number of milliseconds.")
            .send(ctx, config.nodeId());
        return;
      }
      timeoutMs = Math.min(timeoutMs, given);
    }
    long deadline = clock.millis() + timeoutMs;
    bus.request(address, body, Deadlines.options(deadline, RequestIds.of(ctx), clock)).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(encode(ar.result().body()));
      } else {
        BusFailures.respond(ctx, config.nodeId(), address, ar.cause(), deadline, clock);
      }
    });
  }

  private static Buffer encode(Object body) {
    if (body instanceof Buffer b) {
      return b;
    }
    if (body instanceof JsonObject j) {
      return j.toBuffer();
    }
    return Buffer.buffer(String.valueOf(body));
  }

  private static long parsePositive(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
