package dev.satellite.edge;

import dev.satellite.actor.ActorFailures;
import dev.satellite.actor.Deadlines;
import dev.satellite.cluster.BusRouter;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One request to an actor through a route's breaker and retry budget — the part the gateway's actor routes
 * and actor-to-actor calls share. A 4xx answer is the caller's problem, not a failure of the actor (the
 * breaker does not count it). Only refusals that come before any work — no handlers, mailbox full — are
 * retried, with full-jitter backoff inside the deadline and only while the budget allows.
 *
 * <p>One object per call, which is also the handler of each attempt's reply: while the breaker is closed an
 * attempt costs the bus request and nothing else on top.
 *
 * <p>Event-loop confined: a call runs on the context that started it.
 */
public final class ActorCall implements Handler<AsyncResult<Message<Object>>> {

  private final Vertx vertx;
  private final RoutePolicy policy;
  private final BusRouter bus;
  private final String address;
  private final Object body;
  private final DeliveryOptions options;
  private final long deadline;
  private final Clock clock;
  private final boolean retryAllowed;
  private final boolean callersDeadline;
  private final Promise<Message<Object>> result = Promise.promise();
  private int attempt;
  /** The failure of the last attempt when the breaker took it for the caller's problem (and so for a success). */
  private Throwable callersFailure;

  private ActorCall(Vertx vertx, RoutePolicy policy, BusRouter bus, String address, Object body, DeliveryOptions options,
      long deadline, Clock clock, boolean retryAllowed, boolean callersDeadline) {
    this.vertx = vertx;
    this.policy = policy;
    this.bus = bus;
    this.address = address;
    this.body = body;
    this.options = options;
    this.deadline = deadline;
    this.clock = clock;
    this.retryAllowed = retryAllowed;
    this.callersDeadline = callersDeadline;
  }

  /**
   * @param options      delivery options of the first attempt: the deadline header and a send timeout of the time
   *                     left (retries send with the time left then)
   * @param retryAllowed whether the caller permits retries at all (the gateway permits them for idempotent
   *                     requests only)
   * @param callersDeadline whether the deadline was chosen by the caller (shortened by a client): a timeout
   *                     then says nothing about the actor and does not count against its breaker
   * @return the reply, or the failure of the last attempt (an {@code OpenCircuitException} when the breaker
   *         refused, a {@link ReplyException} otherwise)
   */
  public static Future<Message<Object>> call(Vertx vertx, RoutePolicy policy, BusRouter bus, String address, Object body,
      DeliveryOptions options, long deadline, Clock clock, boolean retryAllowed, boolean callersDeadline) {
    ActorCall call = new ActorCall(vertx, policy, bus, address, body, options, deadline, clock, retryAllowed,
        callersDeadline);
    call.attempt();
    return call.result.future();
  }

  private void attempt() {
    attempt++;
    DeliveryOptions attemptOptions = attempt == 1 || deadline == Deadlines.NONE ? options
        : new DeliveryOptions(options).setSendTimeout(Math.max(1, deadline - clock.millis()));
    if (policy.breakerClosed()) {
      send(attemptOptions).onComplete(this);
      return;
    }
    // half-open or open: the breaker decides whether this attempt reaches the actor at all
    Message<Object>[] reply = newReplyHolder();
    policy.throughBreaker(() -> send(attemptOptions).transform(ar -> {
      if (ar.succeeded()) {
        reply[0] = ar.result();
        return Future.succeededFuture(200);
      }
      if (!callersProblem(ar.cause())) {
        return Future.failedFuture(ar.cause());
      }
      // the actor's own 4xx shows it alive; the caller's deadline running out shows nothing
      return Future.succeededFuture(timedOut(ar.cause()) ? RoutePolicy.NO_VERDICT : 400);
    })).onComplete(ar -> {
      if (reply[0] != null) {
        result.complete(reply[0]);
      } else {
        failed(ar.failed() ? ar.cause() : callersFailure);
      }
    });
  }

  /**
   * The first attempt may go to the instance on the caller's own loop; a retry goes to any instance, so a
   * full mailbox is not asked again at once while other instances may have room.
   */
  private Future<Message<Object>> send(DeliveryOptions attemptOptions) {
    return attempt == 1 ? bus.request(address, body, attemptOptions) : bus.requestAnyInstance(address, body, attemptOptions);
  }

  private static boolean timedOut(Throwable t) {
    return t instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT;
  }

  /** The reply of an attempt made while the breaker was closed. */
  @Override
  public void handle(AsyncResult<Message<Object>> ar) {
    if (ar.succeeded()) {
      policy.targetSucceeded();
      result.complete(ar.result());
      return;
    }
    Throwable cause = ar.cause();
    if (!callersProblem(cause)) {
      policy.targetFailed(cause);
    } else if (!timedOut(cause)) {
      policy.targetSucceeded(); // the actor answered, if only to refuse: it is alive
    }
    failed(cause);
  }

  /**
   * Whether a failure is the caller's, not the actor's: the actor refused the message itself (a 4xx), or the
   * caller's own short deadline ran out. Such failures do not count against the breaker.
   */
  private boolean callersProblem(Throwable t) {
    if (t instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() >= 400 && re.failureCode() < 500) {
        callersFailure = t;
        return true;
      }
      if (callersDeadline && re.failureType() == ReplyFailure.TIMEOUT) {
        callersFailure = t;
        return true;
      }
    }
    return false;
  }

  private void failed(Throwable cause) {
    if (retryAllowed && refusedBeforeWork(cause) && attempt < policy.spec().retry().attempts()) {
      long backoff = 1 + ThreadLocalRandom.current().nextLong(Math.min(100, 5L << Math.min(attempt, 5)));
      boolean timeLeft = deadline == Deadlines.NONE || clock.millis() + backoff < deadline;
      if (timeLeft && policy.budget().tryRetry()) {
        policy.retried();
        vertx.setTimer(backoff, t -> attempt());
        return;
      }
    }
    result.fail(cause);
  }

  @SuppressWarnings("unchecked")
  private static Message<Object>[] newReplyHolder() {
    return new Message[1];
  }

  /** No handler took the message, or the actor's mailbox was full: nothing was worked on, so a retry is safe. */
  static boolean refusedBeforeWork(Throwable t) {
    return t instanceof ReplyException re
        && (re.failureType() == ReplyFailure.NO_HANDLERS || ActorFailures.is(t, ActorFailures.MAILBOX_FULL));
  }

  public static boolean breakerRefused(Throwable t) {
    return t instanceof OpenCircuitException;
  }
}
