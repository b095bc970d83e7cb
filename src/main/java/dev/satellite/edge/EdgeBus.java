package dev.satellite.edge;

import dev.satellite.actor.ActorFailures;
import dev.satellite.actor.Deadlines;
import dev.satellite.cluster.BusRouter;
import dev.satellite.config.RouteSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The edge client actors call through: actor-to-actor requests meet the same policy machinery as ingress —
 * a bulkhead, a circuit breaker and a retry budget per target address (from the {@code defaults:} block),
 * with retries of "no handlers" and "mailbox full" inside the message's deadline — so the edges inside the
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
        java.util.Optional.of(a), java.util.Optional.empty(), template.timeout(), template.concurrency(),
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
    Promise<Message<T>> result = Promise.promise();
    attempt(policy, address, body, options, deadline, 1, result);
    return result.future().andThen(ar -> {
      policy.bulkhead().exit();
      policy.record(ar.succeeded() ? Outcome.OK : outcomeOf(ar.cause()), start);
    });
  }

  private <T> void attempt(RoutePolicy policy, String address, Object body, DeliveryOptions options, long deadline,
      int attempt, Promise<Message<T>> result) {
    @SuppressWarnings("unchecked")
    Message<T>[] reply = new Message[1];
    Throwable[] clientError = new Throwable[1];
    policy.throughBreaker(() -> inner.<T>request(address, body, options).map(m -> {
      reply[0] = m;
      return 200;
    }).recover(t -> {
      if (t instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
          && re.failureCode() >= 400 && re.failureCode() < 500) {
        clientError[0] = t; // the callee refused the message itself: not its failure
        return Future.succeededFuture(re.failureCode());
      }
      return Future.failedFuture(t);
    })).onComplete(ar -> {
      if (ar.succeeded() && reply[0] != null) {
        result.complete(reply[0]);
        return;
      }
      Throwable cause = ar.failed() ? ar.cause() : clientError[0];
      boolean retryable = cause instanceof ReplyException re && (re.failureType() == ReplyFailure.NO_HANDLERS
          || ActorFailures.is(cause, ActorFailures.MAILBOX_FULL));
      long backoff = 1 + ThreadLocalRandom.current().nextLong(Math.min(100, 5L << Math.min(attempt, 5)));
      boolean timeLeft = deadline == Deadlines.NONE || clock.millis() + backoff < deadline;
      if (retryable && attempt < policy.spec().retry().attempts() && timeLeft && policy.budget().tryRetry()) {
        policy.retried();
        vertx.setTimer(backoff, t -> attempt(policy, address, body, options, deadline, attempt + 1, result));
        return;
      }
      result.fail(cause);
    });
  }

  private static Outcome outcomeOf(Throwable t) {
    if (t instanceof io.vertx.circuitbreaker.OpenCircuitException) {
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
}
