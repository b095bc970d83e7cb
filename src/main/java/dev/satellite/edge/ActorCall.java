package dev.satellite.edge;

import dev.satellite.actor.ActorFailures;
import dev.satellite.actor.Deadlines;
import dev.satellite.cluster.BusRouter;
import io.vertx.core.Future;
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
 * <p>Thread-safe: stateless; each call's state lives in its closures.
 */
public final class ActorCall {

  private ActorCall() {
  }

  /**
   * @param retryAllowed whether the caller permits retries at all (the gateway permits them for idempotent
   *                     requests only)
   * @param callersDeadline whether the deadline was chosen by the caller (shortened by a client): a timeout
   *                     then says nothing about the actor and does not count against its breaker
   * @return the reply, or the failure of the last attempt (an {@code OpenCircuitException} when the breaker
   *         refused, a {@link ReplyException} otherwise)
   */
  public static Future<Message<Object>> call(Vertx vertx, RoutePolicy policy, BusRouter bus, String address, Object body,
      DeliveryOptions options, long deadline, Clock clock, boolean retryAllowed, boolean callersDeadline) {
    Promise<Message<Object>> result = Promise.promise();
    attempt(vertx, policy, bus, address, body, options, deadline, clock, retryAllowed, callersDeadline, 1, result);
    return result.future();
  }

  private static void attempt(Vertx vertx, RoutePolicy policy, BusRouter bus, String address, Object body,
      DeliveryOptions options, long deadline, Clock clock, boolean retryAllowed, boolean callersDeadline, int attempt,
      Promise<Message<Object>> result) {
    @SuppressWarnings("unchecked")
    Message<Object>[] reply = new Message[1];
    Throwable[] clientError = new Throwable[1];
    DeliveryOptions attemptOptions = deadline == Deadlines.NONE ? options
        : new DeliveryOptions(options).setSendTimeout(Math.max(1, deadline - clock.millis()));
    policy.throughBreaker(() -> bus.request(address, body, attemptOptions).map(m -> {
      reply[0] = (Message<Object>) m;
      return 200;
    }).recover(t -> {
      if (t instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
          && re.failureCode() >= 400 && re.failureCode() < 500) {
        clientError[0] = t; // the actor refused the message itself: not its failure
        return Future.succeededFuture(re.failureCode());
      }
      if (callersDeadline && t instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
        clientError[0] = t; // the caller's own short deadline ran out: not the actor's failure
        return Future.succeededFuture(504);
      }
      return Future.failedFuture(t);
    })).onComplete(ar -> {
      if (ar.succeeded() && reply[0] != null) {
        result.complete(reply[0]);
        return;
      }
      Throwable cause = ar.failed() ? ar.cause() : clientError[0];
      long backoff = 1 + ThreadLocalRandom.current().nextLong(Math.min(100, 5L << Math.min(attempt, 5)));
      boolean timeLeft = deadline == Deadlines.NONE || clock.millis() + backoff < deadline;
      if (retryAllowed && refusedBeforeWork(cause) && attempt < policy.spec().retry().attempts() && timeLeft
          && policy.budget().tryRetry()) {
        policy.retried();
        vertx.setTimer(backoff, t -> attempt(vertx, policy, bus, address, body, options, deadline, clock, true,
            callersDeadline, attempt + 1, result));
        return;
      }
      result.fail(cause);
    });
  }

  /** No handler took the message, or the actor's mailbox was full: nothing was worked on, so a retry is safe. */
  static boolean refusedBeforeWork(Throwable t) {
    return t instanceof ReplyException re
        && (re.failureType() == ReplyFailure.NO_HANDLERS || ActorFailures.is(t, ActorFailures.MAILBOX_FULL));
  }

  public static boolean breakerRefused(Throwable t) {
    return t instanceof io.vertx.circuitbreaker.OpenCircuitException;
  }
}
