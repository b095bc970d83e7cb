package dev.satellite.gateway;

import dev.satellite.config.RouteSpec;
import dev.satellite.health.HealthHandlers;
import dev.satellite.http.AccessLog;
import dev.satellite.http.ErrorResponses;
import dev.satellite.http.Listen;
import dev.satellite.http.ListenerCertificates;
import dev.satellite.http.Problem;
import dev.satellite.http.RequestIds;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the public listener: health probes (never shed, never limited) and the configured routes, each
 * behind its edge policies. Request hygiene is enforced here and in the {@link ConnectionGuard}: header and body
 * size limits, timeouts for request heads, bodies and idle connections, a cap on connections, strict framing, and
 * malformed requests answered with problem+json. One instance per event loop; Vert.x spreads connections over the
 * instances.
 *
 * <p>Event-loop confined (each instance on its own loop); shares only the thread-safe {@link Gateway}.
 */
public final class GatewayVerticle extends VerticleBase {

  static final long LOOP_PROBE_MS = 100;

  private final Gateway gateway;
  private final int loopIndex;
  private HttpServer server;

  GatewayVerticle(Gateway gateway, int loopIndex) {
    this.gateway = gateway;
    this.loopIndex = loopIndex;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    if (gateway.config.log().access()) {
      router.route().handler(new AccessLog(gateway.config.nodeId()));
    }
    HealthHandlers health = new HealthHandlers(gateway.status);
    health.mount(router);
    for (RouteSpec spec : gateway.config.routes()) {
      mount(router, spec);
    }
    ErrorResponses.install(router, gateway.config.nodeId(), gateway.errors);
    probeLoopDelay();

    server = vertx.createHttpServer(gateway.serverOptions)
        .connectionHandler(gateway.guard::accept)
        .invalidRequestHandler(this::malformed)
        .requestHandler(request -> {
          RequestIds.assign(request); // before routing: every answer carries it, 404s and health included
          router.handle(request);
        });
    if (loopIndex == 0) { // the instances share one server: one of them watches its certificate
      ListenerCertificates.watch(vertx, server, gateway.config.http().tls(), "http", gateway.registry);
    }
    return Listen.on(server, gateway.config.http().host(), gateway.config.http().port(), "http");
  }

  private void mount(Router router, RouteSpec spec) {
    Route route = router.route(spec.path());
    for (HttpMethod method : methods(spec)) {
      route.method(method);
    }
    UpstreamTarget upstream = gateway.upstreams.of(spec);
    RouteHandler handler = new RouteHandler(gateway.policies.route(spec.name()), gateway.policies.shedder(),
        new HashSet<>(gateway.config.edge().trustedProxies()), gateway.config.nodeId(), gateway.clock, gateway.bus,
        upstream, vertx, gateway.faults);
    if (spec.actor().isPresent() && spec.stream().isEmpty()) {
      route.handler(new BodyReader()).handler(handler);
    } else {
      route.handler(this::checkLength).handler(handler);
    }
  }

  /** A route's methods; {@code HEAD} wherever {@code GET} is (RFC 9110 §9.3.2). Empty: any method. */
  static Set<HttpMethod> methods(RouteSpec spec) {
    Set<HttpMethod> methods = new java.util.LinkedHashSet<>();
    spec.methods().forEach(m -> methods.add(HttpMethod.valueOf(m)));
    if (methods.contains(HttpMethod.GET)) {
      methods.add(HttpMethod.HEAD);
    }
    return methods;
  }

  /**
   * Reads the body of an actor route's request in full (up to {@code edge.maxBodySize}, else 413) before the
   * route's handler runs. A body that has not arrived in full within {@code edge.requestReadTimeout} gets 408
   * and its connection closed, so a slow sender cannot hold a slot. A request without a body goes straight on:
   * no body handler, no timer. (A platform handler, so vertx-web runs it ahead of the route's own handlers.)
   */
  private final class BodyReader implements PlatformHandler {

    private final BodyHandler bodies = BodyHandler.create(false).setBodyLimit(gateway.config.edge().maxBodySize());

    @Override
    public void handle(RoutingContext ctx) {
      if (Bodies.absent(ctx.request())) {
        ctx.next();
        return;
      }
      long timer = vertx.setTimer(gateway.config.edge().requestReadTimeout().toMillis(), t -> {
        if (!ctx.request().isEnded() && !ctx.response().headWritten()) {
          gateway.errors.report("slow-request-body", "a request body to " + ctx.request().path()
              + " did not arrive in full within " + gateway.config.edge().requestReadTimeout().toMillis()
              + " ms (edge.requestReadTimeout); answered 408 and closed");
          ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
          Problem.of("request-timeout", "Request Timeout", 408, "The request body did not arrive in time.")
              .send(ctx, gateway.config.nodeId());
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
        if (Long.parseLong(length.trim()) > gateway.config.edge().maxBodySize()) {
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

  /**
   * A request that did not decode: answered with a problem, its connection closed (its framing cannot be trusted),
   * and told to {@link dev.satellite.http.ClientErrors} — never logged as a stack trace.
   */
  private void malformed(HttpServerRequest request) {
    Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
    int code;
    String title;
    String detail;
    if (cause instanceof TooLongHttpHeaderException) {
      code = 431;
      title = "Request Header Fields Too Large";
      detail = "The request header block is larger than " + gateway.config.edge().maxHeaderSize() + " bytes.";
    } else if (cause instanceof TooLongHttpLineException) {
      code = 414;
      title = "URI Too Long";
      detail = "The request line is too long.";
    } else if (cause instanceof StrictRequestDecoder.UnsupportedVersion) {
      code = 505;
      title = "HTTP Version Not Supported";
      detail = cause.getMessage() + "; use HTTP/1.1 (or HTTP/1.0).";
    } else if (cause instanceof StrictRequestDecoder.AmbiguousFraming) {
      code = 400;
      title = "Bad Request";
      detail = "The request has both Content-Length and Transfer-Encoding; its framing is ambiguous (RFC 9112 §6.3).";
    } else {
      code = 400;
      title = "Bad Request";
      detail = "The request could not be parsed.";
    }
    gateway.errors.report("malformed-request", code + " to " + request.remoteAddress() + ": "
        + (cause == null ? detail : cause.getMessage()));
    request.response().setStatusCode(code)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.CONTENT_TYPE)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(Problem.of("malformed-request", title, code, detail).toJson(gateway.config.nodeId(), null, null).encode())
        .onComplete(ar -> request.connection().close());
  }

  /** Measures how late this loop runs a periodic timer and tells the load shedder. */
  private void probeLoopDelay() {
    long[] expected = {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOOP_PROBE_MS)};
    vertx.setPeriodic(LOOP_PROBE_MS, t -> {
      long now = System.nanoTime();
      gateway.policies.shedder().reportLoopDelay(loopIndex, now - expected[0]);
      expected[0] = now + TimeUnit.MILLISECONDS.toNanos(LOOP_PROBE_MS);
    });
  }

  /** Stops accepting, lets in-flight requests finish within the grace period, then closes. */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture()
        : server.shutdown(gateway.config.shutdown().grace().toMillis(), TimeUnit.MILLISECONDS);
  }
}
