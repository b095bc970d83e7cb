package dev.satellite.edge;

import dev.satellite.actor.ActorFailures;
import dev.satellite.actor.MessageHeaders;
import dev.satellite.cluster.BusRouter;
import dev.satellite.edge.breaker.Breaker;
import dev.satellite.edge.breaker.Verdict;
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
 * One request to an actor through a route's breaker and retry budget — the part the gateway's actor routes and
 * actor-to-actor calls share. A 4xx answer is the caller's problem, not a failure of the actor (the breaker counts
 * it as a success: the actor is alive); a timeout of a deadline the caller shortened itself says nothing either
 * way, and neither does a lost node (the cluster router fails requests to a node that died or froze at once: that is
 * the node's failure, not the actor's). Refusals that come before any work — no handlers, mailbox full, a message that
 * reached (or was queued for) an instance already gone — are retried,
 * and, for idempotent requests, attempts whose node was lost ({@link Retries}), with full-jitter backoff inside the
 * deadline and only while the budget allows; a retry goes to another node. A request that goes through a breaker
 * carries the {@value MessageHeaders#SHIELDED} header: a crash it causes is the breaker's to contain.
 *
 * <p>One object per call, which is also the handler of each attempt's reply: while the breaker is closed an attempt
 * costs the bus request and nothing else on top.
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
  private final Retries retries;
  private final boolean callersDeadline;
  private final Promise<Message<Object>> result = Promise.promise();
  private int attempt;
  /** When the current attempt was sent, on {@code clock}, and its send timeout. */
  private long sentAt;
  private long sendTimeout;

  private ActorCall(Vertx vertx, RoutePolicy policy, BusRouter bus, String address, Object body, DeliveryOptions options,
      long deadline, Clock clock, Retries retries, boolean callersDeadline) {
    this.vertx = vertx;
    this.policy = policy;
    this.bus = bus;
    this.address = address;
    this.body = body;
    this.options = policy.breaker() == null ? options : MessageHeaders.shielded(options);
    this.deadline = deadline;
    this.clock = clock;
    this.retries = retries;
    this.callersDeadline = callersDeadline;
  }

  /**
   * @param options         delivery options of the first attempt: the time left (header and send timeout), request
   *                        id and trace (retries send with the time left then)
   * @param deadline        the call's deadline on {@code clock}, or {@link MessageHeaders#NO_DEADLINE}
   * @param retries         which failed attempts the caller permits to send again
   * @param callersDeadline whether the deadline was chosen by the caller (shortened by a client): a timeout then
   *                        says nothing about the actor and does not count against its breaker
   * @return the reply, or the failure of the last attempt (an {@code OpenCircuitException} when the breaker
   *         refused, a {@link ReplyException} otherwise)
   */
  public static Future<Message<Object>> call(Vertx vertx, RoutePolicy policy, BusRouter bus, String address, Object body,
      DeliveryOptions options, long deadline, Clock clock, Retries retries, boolean callersDeadline) {
    ActorCall call = new ActorCall(vertx, policy, bus, address, body, options, deadline, clock, retries,
        callersDeadline);
    call.attempt();
    return call.result.future();
  }

  private void attempt() {
    attempt++;
    DeliveryOptions attemptOptions = attempt == 1 || deadline == MessageHeaders.NO_DEADLINE ? options
        : MessageHeaders.resent(options, deadline - clock.millis());
    if (policy.breakerClosed()) {
      send(attemptOptions).onComplete(this);
      return;
    }
    Breaker breaker = policy.breaker();
    if (breaker.refusing()) {
      result.fail(OpenCircuitException.INSTANCE);
      return;
    }
    // the wait is over: vertx-circuit-breaker decides whether this attempt is the half-open probe
    breaker.<Message<Object>>probe(() -> send(attemptOptions).recover(t -> Future.failedFuture(seen(t))), this::verdict)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            result.complete(ar.result());
          } else if (Breaker.refusal(ar.cause())) {
            result.fail(ar.cause());
          } else {
            failed(ar.cause());
          }
        });
  }

  /**
   * The first attempt may go to the instance on the caller's own loop; a retry goes to any instance, so a full
   * mailbox is not asked again at once while other instances may have room.
   */
  private Future<Message<Object>> send(DeliveryOptions attemptOptions) {
    sentAt = clock.millis();
    sendTimeout = attemptOptions.getSendTimeout();
    return attempt == 1 ? bus.request(address, body, attemptOptions) : bus.requestAnyInstance(address, body, attemptOptions);
  }

  /** The reply of an attempt made while the breaker was closed. */
  @Override
  public void handle(AsyncResult<Message<Object>> reply) {
    AsyncResult<Message<Object>> ar = reply.failed() ? Future.failedFuture(seen(reply.cause())) : reply;
    Breaker breaker = policy.breaker();
    if (breaker != null) {
      breaker.report(verdict(ar));
    }
    if (ar.succeeded()) {
      result.complete(ar.result());
    } else {
      failed(ar.cause());
    }
  }

  /**
   * An attempt's failure as what it means: a message the bus discarded for an instance that crashed or stopped while
   * it was on its way ({@link BusRouter#discarded}) is {@link ActorFailures#GONE} — safe to send to another
   * instance, and no news about the actor's health (its crash was counted once, by the message that caused it).
   */
  private Throwable seen(Throwable cause) {
    if (BusRouter.discarded(cause, clock.millis() - sentAt, sendTimeout)) {
      return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ActorFailures.GONE,
          "the instance went away before it took the message (" + cause.getMessage() + ")");
    }
    return cause;
  }

  /**
   * What an attempt says about the actor: an answer, even a refusal of the message as the caller's mistake (a
   * 4xx), shows it alive; the caller's own short deadline running out shows nothing, and neither does the loss of the
   * node the attempt went to (outlier ejection's business, not the breaker's) or a message that reached an instance
   * already gone (its crash was reported by the message that caused it); anything else is a failure.
   */
  private Verdict verdict(AsyncResult<Message<Object>> ar) {
    if (ar.succeeded()) {
      return Verdict.SUCCESS;
    }
    if (ar.cause() instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() >= 400 && re.failureCode() < 500) {
        return Verdict.SUCCESS;
      }
      boolean callerCutItShort = callersDeadline && re.failureType() == ReplyFailure.TIMEOUT;
      if (callerCutItShort || ActorFailures.is(re, ActorFailures.NODE_LOST) || ActorFailures.is(re, ActorFailures.GONE)) {
        return Verdict.NONE;
      }
    }
    return Verdict.FAILURE;
  }

  private void failed(Throwable cause) {
    if (mayGoAgain(cause) && attempt < policy.spec().retry().attempts()) {
      long backoff = 1 + ThreadLocalRandom.current().nextLong(Math.min(100, 5L << Math.min(attempt, 5)));
      boolean timeLeft = deadline == MessageHeaders.NO_DEADLINE || clock.millis() + backoff < deadline;
      if (timeLeft && policy.budget().tryRetry()) {
        policy.retried();
        vertx.setTimer(backoff, t -> attempt());
        return;
      }
    }
    result.fail(cause);
  }

  private boolean mayGoAgain(Throwable cause) {
    return switch (retries) {
      case NONE -> false;
      case REFUSED -> refusedBeforeWork(cause);
      case REFUSED_OR_LOST -> refusedBeforeWork(cause) || ActorFailures.is(cause, ActorFailures.NODE_LOST);
    };
  }

  /**
   * No handler took the message, the actor's mailbox was full, or the instance it reached was already gone: nothing
   * was worked on, so a retry is safe.
   */
  static boolean refusedBeforeWork(Throwable t) {
    return t instanceof ReplyException re
        && (re.failureType() == ReplyFailure.NO_HANDLERS || ActorFailures.is(t, ActorFailures.MAILBOX_FULL)
        || ActorFailures.is(t, ActorFailures.GONE));
  }
}
