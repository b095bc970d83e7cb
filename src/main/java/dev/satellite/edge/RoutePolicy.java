package dev.satellite.edge;

import dev.satellite.config.RouteSpec;
import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge policies of one route, shared by every listener instance of the node: rate limiter, bulkhead,
 * circuit breaker (vertx-circuit-breaker) on the route's target, retry budget, and the route's metrics.
 * The order a request meets them is the gateway's: shed → rate limit → bulkhead → breaker → deadline/retry.
 *
 * <p>The breaker: while it is closed, calls go straight to the target and their outcomes are counted here
 * ({@link FailureWindow}, on the injected clock), which opens the breaker when {@code maxFailures} fall within
 * its window. Open, its reset timer, half-open with its single probe, and closing again are
 * vertx-circuit-breaker's. So a request on a healthy route costs no breaker bookkeeping beyond a volatile read.
 *
 * <p>Thread-safe.
 */
public final class RoutePolicy {

  private static final Logger LOG = LoggerFactory.getLogger(RoutePolicy.class);
  /** Event-bus address breaker state changes are published on (node-local), as JSON. */
  public static final String EVENTS = "satellite.edge";
  /**
   * The result of a call that says nothing about its target: the client went away first, or the caller's own
   * shortened deadline ran out. While the breaker is closed it counts neither way; a half-open breaker's probe
   * that ends so proved nothing, and the breaker opens again.
   */
  public static final int NO_VERDICT = 499;
  private static final VertxException PROBE_PROVED_NOTHING =
      new VertxException("the probe ended without a verdict on the target", true);

  private final RouteSpec spec;
  private final RateLimiter limiter;
  private final Bulkhead bulkhead;
  private final CircuitBreaker breaker;
  private final RetryBudget budget;
  private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
  private final Timer duration;
  private final Counter retries;
  private final AtomicLong breakerRefused = new AtomicLong();
  /** The closed breaker's failures (counted here, on the injected clock); null without a breaker. */
  private final FailureWindow failures;
  /**
   * The breaker's state as its transition handlers last reported it: read on every request without the
   * breaker's lock (vertx-circuit-breaker's {@code state()} is synchronized).
   */
  private volatile CircuitBreakerState state = CircuitBreakerState.CLOSED;
  /** Held while deciding to open, so loops that see the last failures at once open the breaker only once. */
  private final Object opening = new Object();

  public RoutePolicy(RouteSpec spec, RateLimiter limiter, Vertx vertx, MeterRegistry registry,
      java.util.function.LongSupplier nanos) {
    this.spec = spec;
    this.limiter = limiter;
    this.bulkhead = new Bulkhead(spec.concurrency());
    this.budget = new RetryBudget(spec.retry().budget(), spec.retry().minPerSecond(), nanos);
    for (Outcome o : Outcome.values()) {
      outcomes.put(o, Counter.builder(MetricNames.EDGE_REQUESTS).description("Requests on a route by how they ended")
          .tags("route", spec.name(), "outcome", o.label()).register(registry));
    }
    this.duration = Timer.builder(MetricNames.EDGE_DURATION).description("Time to answer requests on a route")
        .tags("route", spec.name()).publishPercentileHistogram().register(registry);
    this.retries = Counter.builder(MetricNames.EDGE_RETRIES).description("Retries made on a route")
        .tags("route", spec.name()).register(registry);
    this.failures = spec.breaker().enabled()
        ? new FailureWindow(spec.breaker().maxFailures(), spec.breaker().window().toNanos(), nanos) : null;
    this.breaker = spec.breaker().enabled() ? breaker(vertx, registry) : null;
  }

  private CircuitBreaker breaker(Vertx vertx, MeterRegistry registry) {
    RouteSpec.Breaker b = spec.breaker();
    CircuitBreaker cb = CircuitBreaker.create("route " + spec.name(), vertx, new CircuitBreakerOptions()
        .setMaxFailures(b.maxFailures())
        .setFailuresRollingWindow(b.window().toMillis())
        .setResetTimeout(b.resetTimeout().toMillis())
        .setTimeout(-1) // deadlines are the gateway's: a breaker timeout would not cancel the call anyway
        .setMaxRetries(0)
        .setNotificationAddress(null)); // no per-call metrics publishing on the bus: state changes are ours
    Gauge.builder(MetricNames.BREAKER_STATE, cb, c -> stateValue(c.state()))
        .description("Breaker state: 0 closed, 1 half-open, 2 open").tags("route", spec.name()).register(registry);
    cb.openHandler(v -> transition(vertx, registry, CircuitBreakerState.OPEN, "open"))
        .halfOpenHandler(v -> transition(vertx, registry, CircuitBreakerState.HALF_OPEN, "half_open"))
        .closeHandler(v -> transition(vertx, registry, CircuitBreakerState.CLOSED, "closed"));
    return cb;
  }

  /** Called by the breaker, under its own lock, right after it changed state. */
  private void transition(Vertx vertx, MeterRegistry registry, CircuitBreakerState to, String state) {
    this.state = to;
    if (to == CircuitBreakerState.CLOSED) {
      failures.clear();
    }
    Counter.builder(MetricNames.BREAKER_TRANSITIONS).description("Breaker state changes")
        .tags("route", spec.name(), "state", state).register(registry).increment();
    if (state.equals("open")) {
      LOG.warn("breaker of route {} opened: calls fail fast for {} ms", spec.name(), spec.breaker().resetTimeout().toMillis());
    } else {
      LOG.info("breaker of route {} is {}", spec.name(), state.replace('_', '-'));
    }
    vertx.eventBus().publish(EVENTS, new JsonObject().put("event", "BreakerStateChanged").put("route", spec.name())
        .put("state", state), new DeliveryOptions().setLocalOnly(true));
  }

  private static int stateValue(CircuitBreakerState state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  public RouteSpec spec() {
    return spec;
  }

  /** The rate limiter, or null when the route has none. */
  public RateLimiter limiter() {
    return limiter;
  }

  public Bulkhead bulkhead() {
    return bulkhead;
  }

  public RetryBudget budget() {
    return budget;
  }

  /** Whether the breaker would refuse a call now (open, not yet half-open). */
  public boolean breakerOpen() {
    return breaker != null && state == CircuitBreakerState.OPEN;
  }

  /**
   * Whether a call may go straight to the target, without {@link #throughBreaker}: the route has no breaker,
   * or its breaker is closed. The caller must then report how the call went with {@link #targetSucceeded()}
   * or {@link #targetFailed(Throwable)}.
   */
  public boolean breakerClosed() {
    return breaker == null || state == CircuitBreakerState.CLOSED;
  }

  /** A call made while the breaker was closed succeeded: the failure count starts again from zero. */
  public void targetSucceeded() {
    if (failures != null) {
      failures.succeeded();
    }
  }

  /**
   * A call made while the breaker was closed failed: counted, and the breaker opens at once when there are
   * {@code maxFailures} of them within its window. A failure that arrives after the breaker left the closed
   * state is not counted: the calls the breaker let through itself decide what happens next.
   */
  public void targetFailed(Throwable cause) {
    if (failures != null && state == CircuitBreakerState.CLOSED && failures.failed()) {
      synchronized (opening) {
        if (breaker.state() == CircuitBreakerState.CLOSED) { // not opened meanwhile by another loop
          breaker.open();
        }
      }
    }
  }

  /** Counts a call the breaker refused without touching the target. */
  public void refusedByBreaker() {
    breakerRefused.incrementAndGet();
  }

  /**
   * Runs one call to the target through the breaker. The call's result is the HTTP status it produced; the
   * call fails its future for what counts as the target's failure (timeouts, bus failures, 5xx) and succeeds
   * for a 4xx, which is the client's, or with {@link #NO_VERDICT}. An open breaker fails the call at once
   * without running it; a half-open one lets exactly one call through. While the breaker is closed the call
   * runs directly and its outcome is reported, so the common case costs no more than the call itself.
   */
  public Future<Integer> throughBreaker(Supplier<Future<Integer>> call) {
    if (breaker == null) {
      return call.get();
    }
    if (state != CircuitBreakerState.CLOSED) {
      return breaker.<Integer>execute(() -> call.get().compose(status -> status == NO_VERDICT
              ? Future.failedFuture(PROBE_PROVED_NOTHING) : Future.succeededFuture(status)))
          .recover(t -> t == PROBE_PROVED_NOTHING ? Future.succeededFuture(NO_VERDICT) : Future.failedFuture(t));
    }
    return call.get().andThen(ar -> {
      if (ar.failed()) {
        targetFailed(ar.cause());
      } else if (ar.result() != NO_VERDICT) {
        targetSucceeded();
      }
    });
  }

  public void retried() {
    retries.increment();
  }

  public void record(Outcome outcome, long startNanos) {
    outcomes.get(outcome).increment();
    duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("route", spec.name())
        .put("target", spec.actor().map(a -> "actor " + a)
            .or(() -> spec.upstream().map(u -> "upstream " + u)).orElse("fixed response"))
        .put("bulkhead", new JsonObject().put("limit", bulkhead.limit()).put("inFlight", bulkhead.inFlight())
            .put("refused", bulkhead.refused()))
        .put("retry", new JsonObject().put("attempts", spec.retry().attempts()).put("retries", budget.retriesInWindow())
            .put("budgetLeft", budget.left()));
    json.put("rateLimit", limiter == null ? null : limiter.stats());
    json.put("breaker", breaker == null ? null : new JsonObject().put("state", breaker.state().name().toLowerCase(java.util.Locale.ROOT))
        .put("failures", failures.recent()).put("refused", breakerRefused.get()));
    JsonObject counts = new JsonObject();
    outcomes.forEach((o, c) -> counts.put(o.label(), (long) c.count()));
    return json.put("outcomes", counts);
  }
}
