package dev.satellite.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.actor.ActorFailures;
import dev.satellite.actor.MessageHeaders;
import dev.satellite.edge.breaker.BreakerTesting;
import io.vertx.circuitbreaker.CircuitBreakerState;
import dev.satellite.support.FakeClock;
import dev.satellite.cluster.BusRouter;
import dev.satellite.config.RouteSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An actor call: where its attempts go (the first may stay on the caller's loop, a retry goes to any instance),
 * and what a half-open breaker makes of a probe that ran out of the caller's own time.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30_000)
class ActorCallTest {

  @Test
  void aRetryAfterAFullMailboxGoesToAnyInstanceNotBackToTheCallersOwn(Vertx vertx) throws Exception {
    List<String> sent = new CopyOnWriteArrayList<>();
    BusRouter full = recorded(sent,
        new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ActorFailures.MAILBOX_FULL, "full"),
        new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ActorFailures.MAILBOX_FULL, "full"));
    RoutePolicy policy = policy(vertx, new RouteSpec.Breaker(0, Duration.ofSeconds(10), Duration.ofSeconds(1),
        Duration.ofSeconds(1)), new RouteSpec.Retry(3, 1.0, 100), System::nanoTime);
    Promise<Message<Object>> done = Promise.promise();
    vertx.runOnContext(v -> ActorCall.call(vertx, policy, full, "t", null, new DeliveryOptions(), MessageHeaders.NO_DEADLINE,
        Clock.systemUTC(), Retries.REFUSED, false).onComplete(done));
    try {
      done.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new AssertionError("every attempt met a full mailbox");
    } catch (ExecutionException e) {
      assertThat(ActorFailures.is(e.getCause(), ActorFailures.MAILBOX_FULL)).isTrue();
    }
    assertThat(sent).containsExactly("this loop's instance", "any instance", "any instance");
  }

  @Test
  void aHalfOpenProbeThatRunsOutOfTheCallersOwnDeadlineOpensTheBreakerAgain(Vertx vertx) throws Exception {
    BusRouter slow = new BusRouter() {
      @Override
      public <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options) {
        // as the bus does: the timeout comes when the send timeout has passed
        return vertx.timer(options.getSendTimeout())
            .compose(t -> Future.failedFuture(new ReplyException(ReplyFailure.TIMEOUT, "timed out")));
      }

      @Override
      public void send(String address, Object body, DeliveryOptions options) {
      }
    };
    FakeClock clock = new FakeClock();
    RoutePolicy policy = policy(vertx, new RouteSpec.Breaker(1, Duration.ofSeconds(10), Duration.ofMillis(200),
        Duration.ofSeconds(1)), new RouteSpec.Retry(1, 0, 0), clock);
    policy.breaker().failed();
    assertThat(policy.breakerRefusing()).isTrue();
    clock.advanceMillis(200);
    BreakerTesting.settled(vertx, policy.breaker(), CircuitBreakerState.HALF_OPEN);
    assertThat(policy.breakerRefusing()).isFalse();
    Promise<Message<Object>> done = Promise.promise();
    vertx.runOnContext(v -> ActorCall.call(vertx, policy, slow, "t", null, new DeliveryOptions().setSendTimeout(50),
        MessageHeaders.NO_DEADLINE, Clock.systemUTC(), Retries.NONE, true).onComplete(done)); // the caller's (short) deadline
    try {
      done.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      throw new AssertionError("the probe timed out");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ReplyException.class);
    }
    BreakerTesting.settled(vertx, policy.breaker(), CircuitBreakerState.HALF_OPEN);
    assertThat(policy.breakerRefusing()).as("a probe cut short by its caller says nothing about the actor").isTrue();
    assertThat(policy.breaker().toJson().getInteger("openings")).isEqualTo(2);
  }

  @Test
  void aRequestThroughABreakerIsMarkedShieldedAndOneWithoutIsNot(Vertx vertx) throws Exception {
    List<Boolean> shielded = new CopyOnWriteArrayList<>();
    BusRouter recording = new BusRouter() {
      @Override
      public <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options) {
        shielded.add(options.getHeaders() != null && options.getHeaders().contains(MessageHeaders.SHIELDED));
        return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 400, "no"));
      }

      @Override
      public void send(String address, Object body, DeliveryOptions options) {
      }
    };
    for (int maxFailures : new int[] {5, 0}) {
      RoutePolicy policy = policy(vertx, new RouteSpec.Breaker(maxFailures, Duration.ofSeconds(10), Duration.ofSeconds(1),
          Duration.ofSeconds(1)), new RouteSpec.Retry(1, 0, 0), System::nanoTime);
      Promise<Message<Object>> done = Promise.promise();
      vertx.runOnContext(v -> ActorCall.call(vertx, policy, recording, "t", null, new DeliveryOptions(),
          MessageHeaders.NO_DEADLINE, Clock.systemUTC(), Retries.NONE, false).onComplete(done));
      done.future().transform(ar -> Future.succeededFuture()).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    assertThat(shielded).containsExactly(true, false);
  }

  /**
   * A bus that records where each attempt went — the caller's own instance, or any — and fails it with
   * {@code first} or {@code retry} (null: answered).
   */
  private static BusRouter recorded(List<String> sent, Throwable first, Throwable retry) {
    return new BusRouter() {
      @Override
      public <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options) {
        sent.add("this loop's instance");
        return first == null ? Future.succeededFuture(null) : Future.failedFuture(first);
      }

      @Override
      public <T> Future<Message<T>> requestAnyInstance(String address, Object body, DeliveryOptions options) {
        sent.add("any instance");
        return retry == null ? Future.succeededFuture(null) : Future.failedFuture(retry);
      }

      @Override
      public void send(String address, Object body, DeliveryOptions options) {
      }
    };
  }

  /** The first attempt's node is lost while it waits; any other instance answers. */
  private static BusRouter lostThenElsewhere(List<String> sent) {
    return recorded(sent, new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ActorFailures.NODE_LOST,
        "node b cannot be reached"), null);
  }

  /** The call's outcome, success or failure, as a value. */
  private static Future<AsyncResult<Message<Object>>> call(Vertx vertx, RoutePolicy policy, BusRouter bus,
      Retries retries) {
    Promise<Message<Object>> done = Promise.promise();
    vertx.runOnContext(v -> ActorCall.call(vertx, policy, bus, "t", null, new DeliveryOptions(), MessageHeaders.NO_DEADLINE,
        Clock.systemUTC(), retries, false).onComplete(done));
    return done.future().<AsyncResult<Message<Object>>>transform(Future::succeededFuture);
  }

  @Test
  void aRequestWhoseNodeWasLostGoesAgainElsewhereOnlyWhenItIsIdempotent(Vertx vertx) throws Exception {
    RoutePolicy policy = policy(vertx, new RouteSpec.Breaker(5, Duration.ofSeconds(10), Duration.ofSeconds(1),
        Duration.ofSeconds(1)), new RouteSpec.Retry(2, 1.0, 100), System::nanoTime);
    List<String> idempotent = new CopyOnWriteArrayList<>();
    var ar = call(vertx, policy, lostThenElsewhere(idempotent), Retries.REFUSED_OR_LOST).toCompletionStage()
        .toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(ar.succeeded()).isTrue();
    assertThat(idempotent).containsExactly("this loop's instance", "any instance");

    List<String> once = new CopyOnWriteArrayList<>();
    ar = call(vertx, policy, lostThenElsewhere(once), Retries.REFUSED).toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    assertThat(ActorFailures.is(ar.cause(), ActorFailures.NODE_LOST)).as("it may have been worked on").isTrue();
    assertThat(once).containsExactly("this loop's instance");
  }

  @Test
  void aLostNodeSaysNothingAboutTheActorSoTheBreakerStaysClosed(Vertx vertx) throws Exception {
    RoutePolicy policy = policy(vertx, new RouteSpec.Breaker(1, Duration.ofSeconds(10), Duration.ofSeconds(1),
        Duration.ofSeconds(1)), new RouteSpec.Retry(1, 0, 0), System::nanoTime);
    for (int i = 0; i < 3; i++) {
      var ar = call(vertx, policy, lostThenElsewhere(new CopyOnWriteArrayList<>()), Retries.NONE).toCompletionStage()
          .toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(ActorFailures.is(ar.cause(), ActorFailures.NODE_LOST)).isTrue();
    }
    assertThat(policy.breakerRefusing()).isFalse();
    assertThat(policy.breaker().toJson().getInteger("openings")).isZero();
  }

  @Test
  void aMessageThatReachedAnInstanceAlreadyGoneIsSentAgainEvenWhenNotIdempotentAndIsNoBreakerFailure(Vertx vertx)
      throws Exception {
    RoutePolicy policy = policy(vertx, new RouteSpec.Breaker(1, Duration.ofSeconds(10), Duration.ofSeconds(1),
        Duration.ofSeconds(1)), new RouteSpec.Retry(2, 1.0, 100), System::nanoTime);
    ReplyException gone = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ActorFailures.GONE, "instance is gone");
    List<String> sent = new CopyOnWriteArrayList<>();
    var ar = call(vertx, policy, recorded(sent, gone, null), Retries.REFUSED).toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    assertThat(ar.succeeded()).as("it was never worked on, so even a POST goes again").isTrue();
    assertThat(sent).containsExactly("this loop's instance", "any instance");
    for (int i = 0; i < 3; i++) {
      var failed = call(vertx, policy, recorded(new CopyOnWriteArrayList<>(), gone, gone), Retries.NONE)
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(ActorFailures.is(failed.cause(), ActorFailures.GONE)).isTrue();
    }
    assertThat(policy.breakerRefusing()).as("a breaker of 1 failure stays closed").isFalse();
  }

  /**
   * Vert.x answers a request it discarded — queued for a consumer that was unregistered before it took it, as a
   * crashed instance's are — with a TIMEOUT at once. Long before the send timeout, that is the instance being gone:
   * sent again, no breaker failure. A TIMEOUT at the send timeout stays one.
   */
  @Test
  void aTimeoutLongBeforeTheSendTimeoutIsAMessageDiscardedByAGoneInstance(Vertx vertx) throws Exception {
    FakeClock clock = new FakeClock();
    RoutePolicy policy = policy(vertx, new RouteSpec.Breaker(1, Duration.ofSeconds(10), Duration.ofSeconds(1),
        Duration.ofSeconds(1)), new RouteSpec.Retry(2, 1.0, 100), clock);
    ReplyException discarded = new ReplyException(ReplyFailure.TIMEOUT, "Discarded the request. address: x");
    List<String> sent = new CopyOnWriteArrayList<>();
    var ar = call(vertx, policy, recorded(sent, discarded, null), clock, 0).toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    assertThat(ar.succeeded()).as("never worked on: sent again, even as a POST would be").isTrue();
    assertThat(sent).containsExactly("this loop's instance", "any instance");
    for (int i = 0; i < 3; i++) {
      var failed = call(vertx, policy, recorded(new CopyOnWriteArrayList<>(), discarded, discarded), clock, 0)
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(ActorFailures.is(failed.cause(), ActorFailures.GONE)).as("%s", failed.cause()).isTrue();
    }
    assertThat(policy.breakerRefusing()).as("a breaker of 1 failure stays closed").isFalse();

    ReplyException timedOut = new ReplyException(ReplyFailure.TIMEOUT, "Timed out after waiting 1000(ms)");
    List<String> once = new CopyOnWriteArrayList<>();
    var late = call(vertx, policy, recorded(once, timedOut, null), clock, 1000).toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    assertThat(late.cause()).isSameAs(timedOut);
    assertThat(once).as("it may have been worked on: not sent again").containsExactly("this loop's instance");
    assertThat(policy.breakerRefusing()).as("a timeout is a failure").isTrue();
  }

  /** A call with a send timeout of 1 s whose attempts each fail {@code takes} ms after they were sent. */
  private static Future<AsyncResult<Message<Object>>> call(Vertx vertx, RoutePolicy policy, BusRouter bus,
      FakeClock clock, long takes) {
    BusRouter timed = new BusRouter() {
      @Override
      public <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options) {
        clock.advanceMillis(takes);
        return bus.request(address, body, options);
      }

      @Override
      public <T> Future<Message<T>> requestAnyInstance(String address, Object body, DeliveryOptions options) {
        clock.advanceMillis(takes);
        return bus.requestAnyInstance(address, body, options);
      }

      @Override
      public void send(String address, Object body, DeliveryOptions options) {
      }
    };
    Promise<Message<Object>> done = Promise.promise();
    vertx.runOnContext(v -> ActorCall.call(vertx, policy, timed, "t", null, new DeliveryOptions().setSendTimeout(1000),
        MessageHeaders.NO_DEADLINE, clock, Retries.REFUSED, false).onComplete(done));
    return done.future().<AsyncResult<Message<Object>>>transform(Future::succeededFuture);
  }

  private static RoutePolicy policy(Vertx vertx, RouteSpec.Breaker breaker, RouteSpec.Retry retry,
      java.util.function.LongSupplier nanos) {
    return new RoutePolicy(new RouteSpec("/t", "/t", Set.of(), Optional.of("t"), Optional.empty(), Optional.empty(),
        Duration.ofSeconds(1), 100, new RouteSpec.RateLimit(0, 0, "node", "none"), breaker, retry), null, vertx,
        ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext(), new SimpleMeterRegistry(), nanos);
  }
}
