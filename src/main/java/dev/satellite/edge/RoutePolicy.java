package dev.satellite.edge;

import dev.satellite.config.RouteSpec;
import dev.satellite.edge.breaker.Breaker;
import dev.satellite.edge.breaker.BreakerState;
import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge policies of one route, shared by every listener instance of the node: bearer-token auth
 * ({@link RouteAuth}), rate limiter, bulkhead, circuit breaker on the route's target ({@link Breaker}), retry budget,
 * and the route's metrics. The order a request meets them is the gateway's: auth → shed → rate limit → bulkhead →
 * breaker → deadline/retry.
 *
 * <p>Thread-safe.
 */
public final class RoutePolicy {

  private static final Logger LOG = LoggerFactory.getLogger(RoutePolicy.class);
  /** Event-bus address breaker state changes are published on (node-local), as JSON. */
  public static final String EVENTS = "satellite.edge";
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final RouteSpec spec;
  private final RateLimiter limiter;
  private final RouteAuth auth;
  private final Bulkhead bulkhead;
  private final Breaker breaker;
  private final RetryBudget budget;
  private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
  private final Timer duration;
  /** Each kind of outcome's latencies (µs) since the console last read them: not exported, one reader. */
  private final Map<Outcome.Kind, Recorder> latencies = new EnumMap<>(Outcome.Kind.class);
  /** The reader's previous intervals, handed back to be filled again rather than allocated each time. */
  private final Map<Outcome.Kind, Histogram> intervals = new EnumMap<>(Outcome.Kind.class);
  private final Counter retries;

  /**
   * @param home  a context the node owns, where the breaker's timer and probes run
   * @param nanos the injected clock of the breaker, the retry budget and the limiter
   */
  public RoutePolicy(RouteSpec spec, RateLimiter limiter, Vertx vertx, Context home, MeterRegistry registry,
      LongSupplier nanos) {
    this(spec, limiter, null, vertx, home, registry, nanos);
  }

  /** @param auth the route's auth policy, or null when anyone may call it */
  public RoutePolicy(RouteSpec spec, RateLimiter limiter, RouteAuth auth, Vertx vertx, Context home,
      MeterRegistry registry, LongSupplier nanos) {
    this.spec = spec;
    this.limiter = limiter;
    this.auth = auth;
    this.bulkhead = new Bulkhead(spec.concurrency());
    this.budget = new RetryBudget(spec.retry().budget(), spec.retry().minPerSecond(), nanos);
    for (Outcome o : Outcome.values()) {
      outcomes.put(o, Counter.builder(MetricNames.EDGE_REQUESTS).description("Requests on a route by how they ended")
          .tags("route", spec.name(), "outcome", o.label()).register(registry));
    }
    this.duration = Timer.builder(MetricNames.EDGE_DURATION).description("Time to answer requests on a route")
        .tags("route", spec.name()).publishPercentileHistogram().register(registry);
    for (Outcome.Kind k : Outcome.Kind.values()) {
      latencies.put(k, new Recorder(2));
    }
    this.retries = Counter.builder(MetricNames.EDGE_RETRIES).description("Retries made on a route")
        .tags("route", spec.name()).register(registry);
    if (spec.breaker().enabled()) {
      Map<BreakerState, Counter> transitions = new EnumMap<>(BreakerState.class);
      for (BreakerState s : BreakerState.values()) {
        transitions.put(s, Counter.builder(MetricNames.BREAKER_TRANSITIONS).description("Breaker state changes")
            .tags("route", spec.name(), "state", s.label()).register(registry));
      }
      this.breaker = new Breaker("route " + spec.name(), spec.breaker(), vertx, home, nanos, (to, waitNanos) -> {
        transitions.get(to).increment();
        if (to == BreakerState.OPEN) {
          LOG.warn("breaker of route {} opened: calls fail fast for {} ms", spec.name(), waitNanos / 1_000_000);
        } else {
          LOG.info("breaker of route {} is {}", spec.name(), to.label().replace('_', '-'));
        }
        vertx.eventBus().publish(EVENTS, new JsonObject().put("event", "BreakerStateChanged").put("route", spec.name())
            .put("state", to.label()).put("openMs", waitNanos / 1_000_000), LOCAL);
      });
      Gauge.builder(MetricNames.BREAKER_STATE, breaker, b -> b.state().ordinal())
          .description("Breaker state: 0 closed, 1 half-open, 2 open").tags("route", spec.name()).register(registry);
    } else {
      this.breaker = null;
    }
  }

  public RouteSpec spec() {
    return spec;
  }

  /** The rate limiter, or null when the route has none. */
  public RateLimiter limiter() {
    return limiter;
  }

  /** The auth policy, or null when anyone may call the route. */
  public RouteAuth auth() {
    return auth;
  }

  public Bulkhead bulkhead() {
    return bulkhead;
  }

  public RetryBudget budget() {
    return budget;
  }

  /** The breaker on the route's target, or null when the route has none. */
  public Breaker breaker() {
    return breaker;
  }

  /** Whether calls go straight to the target: no breaker, or a closed one. */
  public boolean breakerClosed() {
    return breaker == null || breaker.closed();
  }

  /** Whether the breaker refuses a call now without touching the target. */
  public boolean breakerRefusing() {
    return breaker != null && breaker.refusing();
  }

  public void retried() {
    retries.increment();
  }

  public void record(Outcome outcome, long startNanos) {
    long took = System.nanoTime() - startNanos;
    outcomes.get(outcome).increment();
    duration.record(took, TimeUnit.NANOSECONDS);
    latencies.get(outcome.kind()).recordValue(Math.max(0, took) / 1000); // wait-free for the recording threads
  }

  /**
   * The 99th percentile (ms, to two significant digits) of each kind of outcome among the requests answered since
   * the previous call, null for a kind with none. Each call starts a new interval: one reader only (the console).
   */
  public synchronized JsonObject latencySinceLastRead() {
    JsonObject out = new JsonObject();
    latencies.forEach((kind, recorder) -> {
      Histogram h = recorder.getIntervalHistogram(intervals.get(kind));
      intervals.put(kind, h);
      out.put(kind.label(), h.getTotalCount() == 0 ? null : h.getValueAtPercentile(99) / 1000.0);
    });
    return out;
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
    json.put("auth", auth == null ? null : auth.toJson());
    json.put("rateLimit", limiter == null ? null : limiter.stats());
    json.put("breaker", breaker == null ? null : breaker.toJson());
    JsonObject counts = new JsonObject();
    outcomes.forEach((o, c) -> counts.put(o.label(), (long) c.count()));
    return json.put("outcomes", counts);
  }
}
