package dev.satellite.edge;

import dev.satellite.actor.ActorFailures;
import dev.satellite.actor.MessageHeaders;
import dev.satellite.edge.breaker.Breaker;
import dev.satellite.cluster.BusRouter;
import dev.satellite.cluster.LocalInstances;
import dev.satellite.config.RouteSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
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
 * edges inside the mesh are protected too. Metrics and {@code /admin/edges} show them as routes named {@code actor:<address>}.
 *
 * <p>Thread-safe.
 */
public final class EdgeBus implements BusRouter {

  private final BusRouter inner;
  private final RouteSpec template;
  private final Vertx vertx;
  private final Context home;
  private final MeterRegistry registry;
  private final LongSupplier nanos;
  private final Clock clock;
  private final Map<String, RoutePolicy> byAddress = new ConcurrentHashMap<>();

  /**
   * @param home  a context the node owns: the breakers' timers and probes run there, never on the context of an
   *              actor instance that may be undeployed
   * @param nanos the injected clock of the breakers and budgets; {@code clock} that of deadlines
   */
  public EdgeBus(BusRouter inner, RouteSpec template, Vertx vertx, Context home, MeterRegistry registry, LongSupplier nanos,
      Clock clock) {
    this.inner = inner;
    this.template = template;
    this.vertx = vertx;
    this.home = home;
    this.registry = registry;
    this.nanos = nanos;
    this.clock = clock;
  }

  /** The policies of calls to {@code address}, created on first use. */
  public RoutePolicy policy(String address) {
    return byAddress.computeIfAbsent(address, a -> new RoutePolicy(new RouteSpec("actor:" + a, "actor:" + a, template.methods(),
        java.util.Optional.of(a), java.util.Optional.empty(), java.util.Optional.empty(), template.timeout(), template.concurrency(),
        template.rateLimit(), template.breaker(), template.retry(), java.util.Optional.empty()), null, vertx, home, registry, nanos));
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
    if (policy.breakerRefusing()) {
      policy.bulkhead().exit();
      return refusedByBreaker(policy, address, start);
    }
    policy.budget().onRequest();
    // the time left travels in the message (and is its send timeout): the deadline is that much from now
    long deadline = options.getHeaders() != null && options.getHeaders().contains(MessageHeaders.TIMEOUT)
        ? clock.millis() + options.getSendTimeout() : MessageHeaders.NO_DEADLINE;
    @SuppressWarnings("unchecked")
    Future<Message<T>> reply = (Future<Message<T>>) (Future<?>) ActorCall.call(vertx, policy, inner, address, body,
        options, deadline, clock, Retries.REFUSED, false);
    return reply.transform(ar -> {
      policy.bulkhead().exit();
      if (ar.failed() && Breaker.refusal(ar.cause())) {
        return refusedByBreaker(policy, address, start);
      }
      policy.record(ar.succeeded() ? Outcome.OK : outcomeOf(ar.cause()), start);
      return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause());
    });
  }

  private static <T> Future<T> refusedByBreaker(RoutePolicy policy, String address, long start) {
    policy.breaker().refused();
    policy.record(Outcome.BREAKER_OPEN, start);
    return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 503,
        "the breaker of calls to " + address + " is open"));
  }

  private static Outcome outcomeOf(Throwable t) {
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
