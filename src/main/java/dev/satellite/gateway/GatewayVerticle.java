package dev.satellite.gateway;

import dev.satellite.cluster.BusRouter;
import dev.satellite.config.RouteSpec;
import dev.satellite.config.SatelliteConfig;
import dev.satellite.edge.EdgePolicies;
import dev.satellite.edge.RoutePolicy;
import dev.satellite.health.HealthHandlers;
import dev.satellite.health.NodeStatus;
import dev.satellite.http.AccessLog;
import dev.satellite.http.ErrorResponses;
import dev.satellite.http.Listen;
import dev.satellite.http.Problem;
import dev.satellite.http.RequestIds;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The public listener: health probes (never shed, never limited) and the configured routes, each behind its
 * edge policies. Request hygiene is enforced here: header and body size limits, an idle timeout, a read
 * timeout for request bodies, and malformed requests answered with problem+json. One instance per event
 * loop; Vert.x spreads connections over the instances.
 *
 * <p>Event-loop confined (each instance on its own loop); shares only thread-safe state.
 */
public final class GatewayVerticle extends VerticleBase {

  static final long LOOP_PROBE_MS = 100;

  private final SatelliteConfig config;
  private final NodeStatus status;
  private final BusRouter bus;
  private final Clock clock;
  private final EdgePolicies policies;
  private final int loopIndex;
  private final List<UpstreamTarget> upstreams = new ArrayList<>();
  private HttpServer server;

  public GatewayVerticle(SatelliteConfig config, NodeStatus status, BusRouter bus, Clock clock, EdgePolicies policies,
      int loopIndex) {
    this.config = config;
    this.status = status;
    this.bus = bus;
    this.clock = clock;
    this.policies = policies;
    this.loopIndex = loopIndex;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    if (config.log().access()) {
      router.route().handler(new AccessLog());
    }
    HealthHandlers health = new HealthHandlers(status);
    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    for (RouteSpec spec : config.routes()) {
      mount(router, spec, policies.route(spec.name()));
    }
    ErrorResponses.install(router, config.nodeId());
    probeLoopDelay();

    server = vertx.createHttpServer(new HttpServerOptions()
            .setMaxHeaderSize(config.edge().maxHeaderSize())
            .setIdleTimeout((int) config.edge().idleTimeout().toSeconds())
            .setIdleTimeoutUnit(TimeUnit.SECONDS))
        .invalidRequestHandler(this::malformed)
        .requestHandler(request -> {
          RequestIds.assign(request); // before routing: every answer carries it, 404s and health included
          router.handle(request);
        });
    return Listen.on(server, config.http().host(), config.http().port(), "http");
  }

  private void mount(Router router, RouteSpec spec, RoutePolicy policy) {
    List<Route> routes = new ArrayList<>();
    if (spec.methods().isEmpty()) {
      routes.add(router.route(spec.path()));
    } else {
      Route route = router.route(spec.path());
      spec.methods().forEach(m -> route.method(HttpMethod.valueOf(m)));
      routes.add(route);
    }
    UpstreamTarget upstream = null;
    if (spec.upstream().isPresent()) {
      upstream = new UpstreamTarget(vertx, spec.upstream().get(), config.edge().upstreamPoolSize());
      upstreams.add(upstream);
    }
    RouteHandler handler = new RouteHandler(policy, policies.shedder(), new HashSet<>(config.edge().trustedProxies()),
        config.nodeId(), clock, bus, upstream, vertx);
    for (Route route : routes) {
      if (spec.actor().isPresent()) {
        route.handler(new BodyReader()).handler(handler);
      } else {
        route.handler(this::checkLength).handler(handler);
      }
    }
  }

  /**
   * Reads the body of an actor route's request in full (up to {@code edge.maxBodySize}, else 413) before the
   * route's handler runs. A body that has not arrived in full within {@code edge.requestReadTimeout} gets 408
   * and its connection closed, so a slow sender cannot hold a slot. A request without a body goes straight on:
   * no body handler, no timer. (A platform handler, so vertx-web runs it ahead of the route's own handlers.)
   */
  private final class BodyReader implements PlatformHandler {

    private final BodyHandler bodies = BodyHandler.create(false).setBodyLimit(config.edge().maxBodySize());

    @Override
    public void handle(RoutingContext ctx) {
      if (Bodies.absent(ctx.request())) {
        ctx.next();
        return;
      }
      long timer = vertx.setTimer(config.edge().requestReadTimeout().toMillis(), t -> {
        if (!ctx.request().isEnded() && !ctx.response().headWritten()) {
          ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
          Problem.of("request-timeout", "Request Timeout", 408, "The request body did not arrive in time.")
              .send(ctx, config.nodeId());
          ctx.request().connection().close();
        }
      });
      ctx.addEndHandler(v -> vertx.cancelTimer(timer)); // a body that arrived in full disarms it too (isEnded)
      bodies.handle(ctx);
    }
  }

  /** Streamed (upstream) bodies are not buffered, so their declared length is checked up front. */
  private void checkLength(RoutingContext ctx) {
    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > config.edge().maxBodySize()) {
          ctx.fail(413);
          return;
        }
      } catch (NumberFormatException e) {
        ctx.fail(400);
        return;
      }
    }
    ctx.next();
  }

  private void malformed(HttpServerRequest request) {
    Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
    int code = cause instanceof TooLongHttpHeaderException ? 431 : cause instanceof TooLongHttpLineException ? 414 : 400;
    String title = code == 431 ? "Request Header Fields Too Large" : code == 414 ? "URI Too Long" : "Bad Request";
    request.response().setStatusCode(code)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(Problem.of("malformed-request", title, code, "The request could not be parsed.")
            .toJson(config.nodeId(), null, null).encode())
        .onComplete(ar -> request.connection().close());
  }

  /** Measures how late this loop runs a periodic timer and tells the load shedder. */
  private void probeLoopDelay() {
    long[] expected = {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOOP_PROBE_MS)};
    vertx.setPeriodic(LOOP_PROBE_MS, t -> {
      long now = System.nanoTime();
      policies.shedder().reportLoopDelay(loopIndex, now - expected[0]);
      expected[0] = now + TimeUnit.MILLISECONDS.toNanos(LOOP_PROBE_MS);
    });
  }

  /** Stops accepting, lets in-flight requests finish within the grace period, then closes. */
  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture()
        : server.shutdown(config.shutdown().grace().toMillis(), TimeUnit.MILLISECONDS);
    return closed.eventually(() -> Future.join(upstreams.stream().map(UpstreamTarget::close).toList()));
  }
}
