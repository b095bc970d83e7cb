package dev.satellite.gateway;

import dev.satellite.actor.Deadlines;
import dev.satellite.cluster.BusRouter;
import dev.satellite.config.RouteSpec;
import dev.satellite.edge.ActorCall;
import dev.satellite.edge.LoadShedder;
import dev.satellite.edge.Outcome;
import dev.satellite.edge.RateLimiter;
import dev.satellite.edge.RoutePolicy;
import dev.satellite.http.Problem;
import dev.satellite.http.RequestIds;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One configured route: the edge policies in order — shed → rate limit → bulkhead → breaker → deadline and
 * retries — then the target, an actor (request/reply over the bus) or an upstream (a streaming reverse
 * proxy). Every refusal is cheap, immediate and honest: 429 or 503 with {@code Retry-After}, 504 when the
 * deadline passes, 502 when an upstream fails, all as problem+json.
 *
 * <p>Event-loop confined per request; the policies it uses are thread-safe and shared.
 */
final class RouteHandler implements Handler<RoutingContext> {

  /** Client header: the most milliseconds the client will wait; it can shorten the deadline, never extend it. */
  static final String TIMEOUT_HEADER = "X-Request-Timeout-Ms";
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final CharSequence TIMEOUT_NAME = HttpHeaders.createOptimized(TIMEOUT_HEADER);
  private static final CharSequence RATE_LIMIT_POLICY = HttpHeaders.createOptimized("RateLimit-Policy");
  private static final CharSequence RATE_LIMIT = HttpHeaders.createOptimized("RateLimit");
  /** The shortest deadline a client may ask for: shorter ones could time out healthy targets on purpose. */
  static final long MIN_CLIENT_TIMEOUT_MS = 50;
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT,
      HttpMethod.DELETE, HttpMethod.OPTIONS);

  private final RouteSpec spec;
  private final RoutePolicy policy;
  private final LoadShedder shedder;
  private final ClientKeys keys;
  private final String nodeId;
  private final Clock clock;
  private final ActorTarget actor;
  private final UpstreamTarget upstream;
  private final Vertx vertx;
  /** The {@code RateLimit-Policy} header of this route (draft-ietf-httpapi-ratelimit-headers), fixed by its config. */
  private final String rateLimitPolicy;

  RouteHandler(RoutePolicy policy, LoadShedder shedder, Set<String> trustedProxies, String nodeId, Clock clock,
      BusRouter bus, UpstreamTarget upstream, Vertx vertx) {
    this.spec = policy.spec();
    this.policy = policy;
    this.shedder = shedder;
    this.keys = new ClientKeys(spec.rateLimit().key(), trustedProxies);
    this.nodeId = nodeId;
    this.clock = clock;
    this.actor = spec.actor().map(address -> new ActorTarget(address, bus)).orElse(null);
    this.upstream = upstream;
    this.vertx = vertx;
    RouteSpec.RateLimit rl = spec.rateLimit();
    this.rateLimitPolicy = rl.enabled()
        ? "\"route\";q=" + rl.burst() + ";w=" + Math.max(1, (rl.burst() + rl.rps() - 1) / rl.rps()) : null;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    if (upstream != null) {
      // keep the body in the socket until the proxy pipes it: the policies below may answer asynchronously
      ctx.request().pause();
    }
    if (!shedder.tryEnter()) {
      refuse(ctx, start, Outcome.SHED, 503, Problem.of("overloaded", "Service Unavailable", 503,
          "The node is shedding load; try again shortly."), 1);
      return;
    }
    ctx.addEndHandler(v -> shedder.exit());
    RateLimiter limiter = policy.limiter();
    if (limiter == null) {
      afterRateLimit(ctx, start);
      return;
    }
    String key = keys.keyOf(ctx.request());
    RateLimiter.Decision now = limiter.decideNow(key);
    if (now != null) {
      rateDecided(ctx, start, now);
      return;
    }
    limiter.acquire(key).onComplete(ar -> {
      if (ar.failed()) {
        // the shared bucket could not be reached: fail open, the other policies still stand
        afterRateLimit(ctx, start);
      } else {
        rateDecided(ctx, start, ar.result());
      }
    });
  }

  private void rateDecided(RoutingContext ctx, long start, RateLimiter.Decision d) {
    ctx.response().headers().add(RATE_LIMIT_POLICY, rateLimitPolicy)
        .add(RATE_LIMIT, "\"route\";r=" + d.remaining() + ";t=" + (d.allowed() ? d.resetSeconds() : d.retryAfterSeconds()));
    if (d.allowed()) {
      afterRateLimit(ctx, start);
    } else {
      rateLimited(ctx, start, d);
    }
  }

  private void rateLimited(RoutingContext ctx, long start, RateLimiter.Decision d) {
    RouteSpec.RateLimit rl = spec.rateLimit();
    refuse(ctx, start, Outcome.RATE_LIMITED, 429, Problem.of("rate-limited", "Too Many Requests", 429,
        "Rate limit of route " + spec.name() + " (" + rl.rps() + "/s, burst " + rl.burst() + ") reached."),
        d.retryAfterSeconds());
  }

  private void afterRateLimit(RoutingContext ctx, long start) {
    if (ctx.response().closed() || ctx.response().ended()) {
      return; // the client went away while the shared rate limit was asked: take no slot it would never give back
    }
    if (!policy.bulkhead().tryEnter()) {
      refuse(ctx, start, Outcome.BULKHEAD_FULL, 503, Problem.of("bulkhead-full", "Service Unavailable", 503,
          "Route " + spec.name() + " has " + policy.bulkhead().limit() + " requests in flight already."), 1);
      return;
    }
    ctx.addEndHandler(v -> policy.bulkhead().exit());
    if (policy.breakerOpen()) {
      breakerOpen(ctx, start);
      return;
    }
    long timeout = spec.timeout().toMillis();
    boolean clientShortened = false;
    String clientTimeout = ctx.request().getHeader(TIMEOUT_NAME);
    if (clientTimeout != null) {
      long given = parsePositive(clientTimeout);
      if (given <= 0) {
        refuse(ctx, start, Outcome.BAD_REQUEST, 400, Problem.of("bad-timeout", "Bad Request", 400,
            TIMEOUT_HEADER + " must be a positive whole number of milliseconds."), 0);
        return;
      }
      long asked = Math.max(MIN_CLIENT_TIMEOUT_MS, given);
      clientShortened = asked < timeout;
      timeout = Math.min(timeout, asked);
    }
    long deadline = clock.millis() + timeout;
    policy.budget().onRequest();
    if (spec.respond().isPresent()) {
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(spec.respond().get());
      policy.record(Outcome.OK, start);
      return;
    }
    if (actor != null) {
      Object body;
      try {
        body = actor.body(ctx);
      } catch (DecodeException e) {
        refuse(ctx, start, Outcome.BAD_REQUEST, 400, Problem.of("bad-json", "Bad Request", 400,
            "The body must be valid JSON: " + e.getMessage()), 0);
        return;
      }
      askActor(ctx, start, body, deadline, timeout, clientShortened);
    } else if (ctx.request().authority() == null) { // HTTP/1.x's Host, HTTP/2's :authority (or Host)
      refuse(ctx, start, Outcome.BAD_REQUEST, 400, Problem.of("bad-request", "Bad Request", 400,
          "A request to an upstream needs a Host header (HTTP/2: an :authority)."), 0);
    } else {
      proxy(ctx, start, deadline, upstream.exchange(ctx, deadline, clock, RequestIds.of(ctx)), 1);
    }
  }

  // ---- actor target ----------------------------------------------------------------------------------

  private void askActor(RoutingContext ctx, long start, Object body, long deadline, long timeout, boolean clientShortened) {
    ActorCall.call(vertx, policy, actor.bus(), actor.address(), body, Deadlines.options(deadline, timeout, RequestIds.of(ctx)),
        deadline, clock, retryPermitted(ctx), clientShortened).onComplete(ar -> {
          if (ar.succeeded()) {
            actor.write(ctx, ar.result().body());
            policy.record(Outcome.OK, start);
          } else if (ActorCall.breakerRefused(ar.cause())) {
            breakerOpen(ctx, start);
          } else {
            Problem problem = BusFailures.problemFor(actor.address(), ar.cause(), deadline, clock);
            refuse(ctx, start, ActorTarget.outcomeOf(problem.status()), problem.status(), problem,
                problem.status() == 503 ? 1 : 0);
          }
        });
  }

  // ---- upstream target -------------------------------------------------------------------------------

  private void proxy(RoutingContext ctx, long start, long deadline, UpstreamTarget.Exchange exchange, int attempt) {
    policy.throughBreaker(exchange::send).onComplete(ar -> {
      if (ar.succeeded()) {
        int status = ar.result();
        if (status == UpstreamTarget.CLIENT_CLOSED && !exchange.hasResponse()) { // (not an upstream's own 499)
          exchange.abandon();
          policy.record(Outcome.CLIENT_CLOSED, start);
          return;
        }
        exchange.finish();
        policy.record(status >= 500 ? Outcome.UPSTREAM_ERROR : status >= 400 ? Outcome.CLIENT_ERROR : Outcome.OK, start);
        return;
      }
      Throwable cause = ar.cause();
      if (exchange.hasResponse() && !(exchange.mayResend() && mayRetry(ctx, attempt, deadline))) {
        exchange.finish(); // the upstream's own 5xx answer goes to the client as it is
        policy.record(Outcome.UPSTREAM_ERROR, start);
        return;
      }
      if (exchange.hasResponse()) {
        exchange.abandon();
        policy.retried();
        vertx.setTimer(backoffMs(attempt, deadline), t -> proxy(ctx, start, deadline, exchange, attempt + 1));
        return;
      }
      if (ActorCall.breakerRefused(cause)) {
        exchange.abandon();
        breakerOpen(ctx, start);
        return;
      }
      if (exchange.timedOut()) {
        refuse(ctx, start, Outcome.TIMEOUT, 504, Problem.of("deadline-exceeded", "Gateway Timeout", 504,
            "The upstream of route " + spec.name() + " did not answer before the request deadline."), 0);
        return;
      }
      if (exchange.mayResend() && mayRetry(ctx, attempt, deadline)) {
        policy.retried();
        vertx.setTimer(backoffMs(attempt, deadline), t -> proxy(ctx, start, deadline, exchange, attempt + 1));
        return;
      }
      exchange.abandon();
      int status = exchange.failedStatus();
      refuse(ctx, start, status == 504 ? Outcome.TIMEOUT : Outcome.UPSTREAM_ERROR, status, Problem.of(
          status == 504 ? "deadline-exceeded" : "upstream-failed", status == 504 ? "Gateway Timeout" : "Bad Gateway", status,
          "The upstream of route " + spec.name() + " failed: " + cause.getMessage()), 0);
    });
  }

  // ---- retries ---------------------------------------------------------------------------------------

  /** Retries are permitted only for idempotent methods or requests that carry an {@code Idempotency-Key}. */
  private static boolean retryPermitted(RoutingContext ctx) {
    return IDEMPOTENT.contains(ctx.request().method()) || ctx.request().getHeader(IDEMPOTENCY_KEY) != null;
  }

  /** Permitted, attempts left, time left, and the retry budget allows it. */
  private boolean mayRetry(RoutingContext ctx, int attempt, long deadline) {
    if (attempt >= spec.retry().attempts() || !retryPermitted(ctx)) {
      return false;
    }
    if (clock.millis() + backoffCeilingMs(attempt) >= deadline) {
      return false;
    }
    return policy.budget().tryRetry();
  }

  private static long backoffCeilingMs(int attempt) {
    return Math.min(100, 5L << Math.min(attempt, 5));
  }

  /** Full jitter over an exponential ceiling (5, 10, 20 … 100 ms), never past the deadline. */
  private long backoffMs(int attempt, long deadline) {
    long ceiling = Math.min(backoffCeilingMs(attempt), Math.max(1, deadline - clock.millis() - 1));
    return 1 + ThreadLocalRandom.current().nextLong(Math.max(1, ceiling));
  }

  // ---- answers ---------------------------------------------------------------------------------------

  private void breakerOpen(RoutingContext ctx, long start) {
    policy.refusedByBreaker();
    refuse(ctx, start, Outcome.BREAKER_OPEN, 503, Problem.of("breaker-open", "Service Unavailable", 503,
        "The breaker of route " + spec.name() + " is open after repeated failures of its target."),
        Math.max(1, spec.breaker().resetTimeout().toSeconds()));
  }

  private void refuse(RoutingContext ctx, long start, Outcome outcome, int status, Problem problem, long retryAfter) {
    policy.record(outcome, start);
    if (retryAfter > 0) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
    }
    if (upstream != null && !ctx.request().isEnded()) {
      // a refused request's body will never be proxied: read it off the socket (and drop it), or the
      // connection could not go on to its next request
      ctx.request().resume();
    }
    problem.send(ctx, nodeId);
  }

  private static long parsePositive(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

}
