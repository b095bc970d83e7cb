package dev.satellite.edge;

import dev.satellite.actor.ActorFailures;
import dev.satellite.actor.Deadlines;
import dev.satellite.cluster.BusRouter;
import dev.satellite.cluster.LocalInstances;
import dev.satellite.config.RouteSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The edge client actors call through: actor-to-actor requests meet the same policy machinery as ingress —
 * a bulkhead, a circuit breaker and a retry budget per target address (from the {@code defaults:} block),
 * with retries of "no handlers" and "mailbox full" inside the message's deadline ({@link ActorCall}) — so the
 * edges inside the
 * mesh are protected too. Metrics and {@code /admin/edges} show them as routes named {@code actor:<address>}.
 *
 * <p>Thread-safe.
 */
public final class EdgeBus implements BusRouter {

  private final BusRouter inner;
  private final RouteSpec template;
  private final Vertx vertx;
  private final MeterRegistry registry;
  private final LongSupplier nanos;
  private final Clock clock;
  private final Map<String, RoutePolicy> byAddress = new ConcurrentHashMap<>();

  public EdgeBus(BusRouter inner, RouteSpec template, Vertx vertx, MeterRegistry registry, LongSupplier nanos, Clock clock) {
    this.inner = inner;
    this.template = template;
    this.vertx = vertx;
    this.registry = registry;
    this.nanos = nanos;
    this.clock = clock;
  }

  /** The policies of calls to {@code address}, created on first use. */
  public RoutePolicy policy(String address) {
    return byAddress.computeIfAbsent(address, a -> new RoutePolicy(new RouteSpec("actor:" + a, "actor:" + a, template.methods(),
        java.util.Optional.of(a), java.util.Optional.empty(), java.util.Optional.empty(), template.timeout(), template.concurrency(),
        template.rateLimit(), template.breaker(), template.retry()), null, vertx, registry, nanos));
  }

  public Iterable<RoutePolicy> policies() {
    return byAddress.values();
  }

  @Override
  public <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options) {
    RoutePolicy policy = policy(address);
    long start = System.nanoTime();
    if (!policy.bulkhead().tryEnter()) {
      policy.record(Outcome.BULKHEAD_FULL, start);
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ActorFailures.MAILBOX_FULL,
          "too many calls in flight to " + address + " (" + policy.bulkhead().limit() + ")"));
    }
    if (policy.breakerOpen()) {
      policy.bulkhead().exit();
      policy.refusedByBreaker();
      policy.record(Outcome.BREAKER_OPEN, start);
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 503,
          "the breaker of calls to " + address + " is open"));
    }
    policy.budget().onRequest();
    long deadline = Deadlines.parse(options.getHeaders() == null ? io.vertx.core.MultiMap.caseInsensitiveMultiMap()
        : options.getHeaders());
    @SuppressWarnings("unchecked")
    Future<Message<T>> reply = (Future<Message<T>>) (Future<?>) ActorCall.call(vertx, policy, inner, address, body,
        options, deadline, clock, true, false);
    return reply.andThen(ar -> {
      policy.bulkhead().exit();
      policy.record(ar.succeeded() ? Outcome.OK : outcomeOf(ar.cause()), start);
    });
  }

  private static Outcome outcomeOf(Throwable t) {
    if (ActorCall.breakerRefused(t)) {
      return Outcome.BREAKER_OPEN;
    }
    if (t instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.TIMEOUT || ActorFailures.is(t, ActorFailures.DEADLINE)) {
        return Outcome.TIMEOUT;
      }
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() >= 400 && re.failureCode() < 500) {
        return Outcome.CLIENT_ERROR;
      }
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() >= 500) {
        return Outcome.ACTOR_ERROR;
      }
    }
    return Outcome.ACTOR_UNAVAILABLE;
  }

  @Override
  public void send(String address, Object body, DeliveryOptions options) {
    inner.send(address, body, options);
  }

  @Override
  public boolean routesByNode() {
    return inner.routesByNode();
  }

  @Override
  public LocalInstances instances() {
    return inner.instances();
  }
}
