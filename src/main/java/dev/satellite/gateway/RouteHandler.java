package dev.satellite.gateway;

import dev.satellite.actor.BodyTypes;
import dev.satellite.actor.MessageHeaders;
import dev.satellite.actor.TraceContext;
import dev.satellite.chaos.FaultRegistry;
import dev.satellite.chaos.FaultTarget;
import dev.satellite.cluster.BusRouter;
import dev.satellite.config.RouteSpec;
import dev.satellite.edge.ActorCall;
import dev.satellite.edge.AuthVerdict;
import dev.satellite.edge.LoadShedder;
import dev.satellite.edge.Outcome;
import dev.satellite.edge.RateLimiter;
import dev.satellite.edge.Retries;
import dev.satellite.edge.RouteAuth;
import dev.satellite.edge.RoutePolicy;
import dev.satellite.edge.breaker.Breaker;
import dev.satellite.edge.breaker.Verdict;
import dev.satellite.http.AccessLog;
import dev.satellite.http.Problem;
import dev.satellite.http.RequestIds;
import dev.satellite.http.RequestTraces;
import dev.satellite.services.push.PushStreams;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One configured route: the edge policies in order — auth → shed → rate limit → bulkhead → breaker → deadline and
 * retries — then the target, an actor (request/reply over the bus) or an upstream (a streaming reverse proxy).
 * Every refusal is cheap, immediate and honest: 429 or 503 with {@code Retry-After}, 504 when the deadline passes,
 * 502 when an upstream fails, all as problem+json.
 *
 * <p>The deadline starts when the request arrives: {@code timeout} (or the shorter one the client asks for) from
 * then, so time spent on the way — a cluster-wide rate limit's round trip — is part of it, not added on top.
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
  private static final CharSequence WWW_AUTHENTICATE = HttpHeaders.createOptimized("WWW-Authenticate");
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
  private final FaultRegistry faults;
  /** This route and its upstream as targets of chaos faults. */
  private final FaultTarget asRoute;
  private final FaultTarget asUpstream;
  /** The {@code RateLimit-Policy} header of this route (draft-ietf-httpapi-ratelimit-headers), fixed by its config. */
  private final String rateLimitPolicy;
  /** Whether the route opens subscriptions ({@code stream:}) rather than asking for one answer. */
  private final boolean stream;

  RouteHandler(RoutePolicy policy, LoadShedder shedder, Set<String> trustedProxies, String nodeId, Clock clock,
      BusRouter bus, UpstreamTarget upstream, Vertx vertx, FaultRegistry faults) {
    this.spec = policy.spec();
    this.faults = faults;
    this.asRoute = FaultTarget.route(spec.name());
    this.asUpstream = FaultTarget.upstream(spec.name());
    this.policy = policy;
    this.shedder = shedder;
    this.keys = new ClientKeys(spec.rateLimit().key(), trustedProxies);
    this.nodeId = nodeId;
    this.clock = clock;
    this.actor = spec.actor().map(address -> new ActorTarget(address, bus)).orElse(null);
    this.upstream = upstream;
    this.vertx = vertx;
    this.stream = spec.stream().isPresent();
    RouteSpec.RateLimit rl = spec.rateLimit();
    this.rateLimitPolicy = rl.enabled()
        ? "\"route\";q=" + rl.burst() + ";w=" + Math.max(1, (rl.burst() + rl.rps() - 1) / rl.rps()) : null;
  }

  /** One request's way through the route: when it came, its deadline, and whether the client chose it. */
  private record Request(RoutingContext ctx, long start, long deadline, boolean clientShortened) {
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    long arrived = clock.millis();
    if (upstream != null) {
      // keep the body in the socket until the proxy pipes it: the policies below may answer asynchronously
      ctx.request().pause();
    }
    if (faults.enabled()) {
      int status = faults.error(asRoute);
      if (status != 0) {
        refuse(ctx, start, Outcome.INJECTED, injected(status, "route " + spec.name()), 0);
        return;
      }
      long delay = faults.delayMs(asRoute);
      if (delay >= 0) { // the time it waits is part of the request's deadline, which started when it arrived: a longer
        // wait ends at the deadline, and the request is answered 504 then, as a slow route's would be
        vertx.setTimer(Math.max(1, Math.min(delay, spec.timeout().toMillis())), t -> {
          if (!ctx.response().closed()) {
            enter(ctx, start, arrived);
          }
        });
        return;
      }
    }
    enter(ctx, start, arrived);
  }

  private static Problem injected(int status, String where) {
    return Problem.of("chaos-injected", HttpResponseStatus.valueOf(status).reasonPhrase(), status,
        "chaos: an error fault answers for " + where + ".");
  }

  private void enter(RoutingContext ctx, long start, long arrived) {
    RouteAuth auth = policy.auth();
    if (auth != null) {
      AuthVerdict verdict = auth.check(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
      if (verdict != AuthVerdict.ALLOWED) {
        unauthorized(ctx, start, verdict);
        return;
      }
    }
    long timeout = spec.timeout().toMillis();
    boolean clientShortened = false;
    String clientTimeout = ctx.request().getHeader(TIMEOUT_NAME);
    if (clientTimeout != null) {
      long given = parsePositive(clientTimeout);
      if (given <= 0) {
        refuse(ctx, start, Outcome.BAD_REQUEST, Problem.of("bad-timeout", "Bad Request", 400,
            TIMEOUT_HEADER + " must be a positive whole number of milliseconds."), 0);
        return;
      }
      long asked = Math.max(MIN_CLIENT_TIMEOUT_MS, given);
      clientShortened = asked < timeout;
      timeout = Math.min(timeout, asked);
    }
    Request r = new Request(ctx, start, arrived + timeout, clientShortened);
    if (!shedder.tryEnter()) {
      refuse(ctx, start, Outcome.SHED, Problem.of("overloaded", "Service Unavailable", 503,
          "The node is shedding load; try again shortly."), 1);
      return;
    }
    if (stream) {
      shedder.exit(); // a stream passes the shedder when it connects, then leaves the per-request accounting
    } else {
      ctx.addEndHandler(v -> shedder.exit());
    }
    RateLimiter limiter = policy.limiter();
    if (limiter == null) {
      afterRateLimit(r);
      return;
    }
    String key = keys.keyOf(ctx.request());
    RateLimiter.Decision now = limiter.decideNow(key);
    if (now != null) {
      rateDecided(r, now);
      return;
    }
    limiter.acquire(key).onComplete(ar -> {
      if (ar.failed()) {
        // the shared bucket could not be reached: fail open, the other policies still stand
        afterRateLimit(r);
      } else {
        rateDecided(r, ar.result());
      }
    });
  }

  private void rateDecided(Request r, RateLimiter.Decision d) {
    r.ctx().response().headers().add(RATE_LIMIT_POLICY, rateLimitPolicy)
        .add(RATE_LIMIT, "\"route\";r=" + d.remaining() + ";t=" + (d.allowed() ? d.resetSeconds() : d.retryAfterSeconds()));
    if (d.allowed()) {
      afterRateLimit(r);
    } else {
      RouteSpec.RateLimit rl = spec.rateLimit();
      refuse(r.ctx(), r.start(), Outcome.RATE_LIMITED, Problem.of("rate-limited", "Too Many Requests", 429,
          "Rate limit of route " + spec.name() + " (" + rl.rps() + "/s, burst " + rl.burst() + ") reached."),
          d.retryAfterSeconds());
    }
  }

  private void afterRateLimit(Request r) {
    RoutingContext ctx = r.ctx();
    if (ctx.response().closed() || ctx.response().ended()) {
      return; // the client went away while the shared rate limit was asked: take no slot it would never give back
    }
    if (stream) {
      openStream(r);
      return;
    }
    if (!policy.bulkhead().tryEnter()) {
      refuse(ctx, r.start(), Outcome.BULKHEAD_FULL, Problem.of("bulkhead-full", "Service Unavailable", 503,
          "Route " + spec.name() + " has " + policy.bulkhead().limit() + " requests in flight already."), 1);
      return;
    }
    ctx.addEndHandler(v -> policy.bulkhead().exit());
    if (policy.breakerRefusing()) {
      breakerOpen(ctx, r.start());
      return;
    }
    long left = r.deadline() - clock.millis();
    if (left <= 0) {
      deadlinePassed(ctx, r.start(), "before the route's target was called");
      return;
    }
    policy.budget().onRequest();
    if (spec.respond().isPresent()) {
      record(ctx, Outcome.OK, r.start());
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(spec.respond().get());
      return;
    }
    if (actor != null) {
      Object body;
      try {
        body = actor.body(ctx);
      } catch (BodyTypes.BadBody bad) {
        refuse(ctx, r.start(), Outcome.BAD_REQUEST, Problem.of("bad-json", "Bad Request", 400, bad.getMessage()), 0);
        return;
      }
      askActor(r, body, left);
    } else if (ctx.request().authority() == null) { // HTTP/1.x's Host, HTTP/2's :authority (or Host)
      refuse(ctx, r.start(), Outcome.BAD_REQUEST, Problem.of("bad-request", "Bad Request", 400,
          "A request to an upstream needs a Host header (HTTP/2: an :authority)."), 0);
    } else {
      proxy(r, upstream.exchange(ctx, r.deadline(), clock, RequestIds.of(ctx), RequestTraces.of(ctx).header()), 1);
    }
  }

  // ---- stream target ---------------------------------------------------------------------------------

  /**
   * A subscription: past the shedder and the rate limit, refused while the breaker is open, then handed to its
   * stream service. It takes no bulkhead slot, no deadline ends it, and it counts as one request (its connect).
   */
  private void openStream(Request r) {
    RoutingContext ctx = r.ctx();
    if (policy.breakerRefusing()) {
      breakerOpen(ctx, r.start());
      return;
    }
    PushStreams.Refusal no = PushStreams.open(vertx, ctx);
    if (no == null) {
      record(ctx, Outcome.OK, r.start());
    } else {
      refuse(ctx, r.start(), no.status() < 500 ? Outcome.CLIENT_ERROR : Outcome.ACTOR_UNAVAILABLE,
          Problem.of(no.type(), no.title(), no.status(), no.detail()), no.retryAfter());
    }
  }

  // ---- actor target ----------------------------------------------------------------------------------

  private void askActor(Request r, Object body, long left) {
    RoutingContext ctx = r.ctx();
    TraceContext trace = RequestTraces.of(ctx);
    DeliveryOptions options = MessageHeaders.request(left, RequestIds.of(ctx), trace.header());
    if (body instanceof io.vertx.core.buffer.Buffer) {
      MessageHeaders.withContentType(options, ActorTarget.contentType(ctx));
    }
    ctx.pathParams().forEach((name, value) -> MessageHeaders.withParam(options, name, value));
    String idempotencyKey = ctx.request().getHeader(IDEMPOTENCY_KEY);
    if (idempotencyKey != null) {
      MessageHeaders.with(options, MessageHeaders.IDEMPOTENCY_KEY, idempotencyKey);
    }
    ActorCall.call(vertx, policy, actor.bus(), actor.address(), body, options, r.deadline(), clock,
        retryPermitted(ctx) ? Retries.REFUSED_OR_LOST : Retries.NONE, r.clientShortened()).onComplete(ar -> {
          if (ar.succeeded()) {
            record(ctx, Outcome.OK, r.start());
            actor.write(ctx, ar.result());
          } else if (Breaker.refusal(ar.cause())) {
            breakerOpen(ctx, r.start());
          } else {
            Problem problem = BusFailures.problemFor(actor.address(), ar.cause(), r.deadline(), clock);
            refuse(ctx, r.start(), ActorTarget.outcomeOf(problem.status()), problem, problem.status() == 503 ? 1 : 0);
          }
        });
  }

  // ---- upstream target -------------------------------------------------------------------------------

  private void proxy(Request r, UpstreamTarget.Exchange exchange, int attempt) {
    if (policy.breakerClosed()) {
      send(r, exchange).onComplete(ar -> {
        Breaker breaker = policy.breaker();
        if (breaker != null) {
          breaker.report(verdict(exchange, ar));
        }
        proxied(r, exchange, attempt, ar);
      });
    } else if (policy.breakerRefusing()) {
      exchange.abandon();
      breakerOpen(r.ctx(), r.start());
    } else {
      policy.breaker().probe(() -> send(r, exchange), ar -> verdict(exchange, ar))
          .onComplete(ar -> proxied(r, exchange, attempt, ar));
    }
  }

  /**
   * One attempt at the upstream, through the chaos faults aimed at it: an injected error stands for the upstream's
   * answer, injected latency delays the call (its deadline keeps running: a wait past it ends at the deadline, and
   * the call then fails as timed out).
   */
  private Future<Integer> send(Request r, UpstreamTarget.Exchange exchange) {
    if (!faults.enabled()) {
      return exchange.send();
    }
    int status = faults.error(asUpstream);
    if (status != 0) {
      return Future.failedFuture(new InjectedStatus(status));
    }
    long delay = faults.delayMs(asUpstream);
    if (delay < 0) {
      return exchange.send();
    }
    Promise<Integer> sent = Promise.promise();
    vertx.setTimer(Math.max(1, Math.min(delay, r.deadline() - clock.millis())), t -> exchange.send().onComplete(sent));
    return sent.future();
  }

  /** The status an error fault on the upstream answers in its place. */
  private static final class InjectedStatus extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    InjectedStatus(int status) {
      super("chaos: injected upstream status " + status, null, false, false);
      this.status = status;
    }
  }

  /** What an exchange says about the upstream: an answer below 500 shows it alive; a client that left shows nothing. */
  private static Verdict verdict(UpstreamTarget.Exchange exchange, AsyncResult<Integer> ar) {
    if (ar.failed()) {
      return ar.cause() instanceof InjectedStatus injected && injected.status < 500 ? Verdict.SUCCESS : Verdict.FAILURE;
    }
    return ar.result() == UpstreamTarget.CLIENT_CLOSED && !exchange.hasResponse() ? Verdict.NONE : Verdict.SUCCESS;
  }

  private void proxied(Request r, UpstreamTarget.Exchange exchange, int attempt, AsyncResult<Integer> ar) {
    RoutingContext ctx = r.ctx();
    long start = r.start();
    if (ar.succeeded()) {
      int status = ar.result();
      if (status == UpstreamTarget.CLIENT_CLOSED && !exchange.hasResponse()) { // (not an upstream's own 499)
        exchange.abandon();
        record(ctx, Outcome.CLIENT_CLOSED, start);
        return;
      }
      record(ctx, status >= 500 ? Outcome.UPSTREAM_ERROR : status >= 400 ? Outcome.CLIENT_ERROR : Outcome.OK, start);
      exchange.finish();
      return;
    }
    Throwable cause = ar.cause();
    if (Breaker.refusal(cause)) {
      exchange.abandon();
      breakerOpen(ctx, start);
      return;
    }
    if (cause instanceof InjectedStatus injected) {
      if (injected.status >= 500 && exchange.mayResend() && mayRetry(ctx, attempt, r.deadline())) {
        retry(r, exchange, attempt);
      } else {
        exchange.abandon();
        refuse(ctx, start, Outcome.INJECTED, injected(injected.status, "the upstream of route " + spec.name()), 0);
      }
      return;
    }
    if (exchange.hasResponse() && !(exchange.mayResend() && mayRetry(ctx, attempt, r.deadline()))) {
      record(ctx, Outcome.UPSTREAM_ERROR, start);
      exchange.finish(); // the upstream's own 5xx answer goes to the client as it is
      return;
    }
    if (exchange.hasResponse()) {
      exchange.abandon();
      retry(r, exchange, attempt);
      return;
    }
    if (exchange.timedOut()) {
      deadlinePassed(ctx, start, "at the upstream");
      return;
    }
    if (exchange.mayResend() && mayRetry(ctx, attempt, r.deadline())) {
      retry(r, exchange, attempt);
      return;
    }
    exchange.abandon();
    int status = exchange.failedStatus();
    if (status == 504) {
      deadlinePassed(ctx, start, "at the upstream");
    } else {
      refuse(ctx, start, Outcome.UPSTREAM_ERROR, Problem.of("upstream-failed", "Bad Gateway", 502,
          "The upstream of route " + spec.name() + " failed: " + cause.getMessage()), 0);
    }
  }

  private void retry(Request r, UpstreamTarget.Exchange exchange, int attempt) {
    policy.retried();
    vertx.setTimer(backoffMs(attempt, r.deadline()), t -> proxy(r, exchange, attempt + 1));
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

  /**
   * 401 or 403 with the RFC 6750 challenge; first among the refusals, so it takes nothing from the rate limit,
   * the bulkhead or the node's in-flight count. The answer and the access log never carry the token.
   */
  private void unauthorized(RoutingContext ctx, long start, AuthVerdict verdict) {
    String challenge = "Bearer realm=\"satellite\"" + (verdict.error() == null ? "" : ", error=\"" + verdict.error() + "\"");
    ctx.response().putHeader(WWW_AUTHENTICATE, challenge);
    Problem problem = switch (verdict) {
      case FORBIDDEN -> Problem.of("forbidden", "Forbidden", 403,
          "The bearer token is not one route " + spec.name() + " accepts.");
      case INVALID -> Problem.of("unauthorized", "Unauthorized", 401,
          "The bearer token is not valid; route " + spec.name() + " needs Authorization: Bearer <token>.");
      case MALFORMED -> Problem.of("unauthorized", "Unauthorized", 401,
          "The Authorization header is not 'Bearer <token>'; route " + spec.name() + " needs one.");
      default -> Problem.of("unauthorized", "Unauthorized", 401,
          "Route " + spec.name() + " needs the header Authorization: Bearer <token>.");
    };
    refuse(ctx, start, Outcome.UNAUTHORIZED, problem, 0);
  }

  private void breakerOpen(RoutingContext ctx, long start) {
    Breaker breaker = policy.breaker();
    breaker.refused();
    refuse(ctx, start, Outcome.BREAKER_OPEN, Problem.of("breaker-open", "Service Unavailable", 503,
        "The breaker of route " + spec.name() + " is open after repeated failures of its target."),
        breaker.retryAfterSeconds());
  }

  private void deadlinePassed(RoutingContext ctx, long start, String where) {
    refuse(ctx, start, Outcome.TIMEOUT, Problem.of("deadline-exceeded", "Gateway Timeout", 504,
        "The deadline of route " + spec.name() + " passed " + where + "."), 0);
  }

  private void refuse(RoutingContext ctx, long start, Outcome outcome, Problem problem, long retryAfter) {
    record(ctx, outcome, start);
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

  /** Counts how the request ended; call before its answer is sent (the access-log line is written at its end). */
  private void record(RoutingContext ctx, Outcome outcome, long start) {
    policy.record(outcome, start);
    AccessLog.outcome(ctx, spec.name(), outcome.label());
  }

  private static long parsePositive(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
