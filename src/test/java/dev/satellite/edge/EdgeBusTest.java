package dev.satellite.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.actor.ActorFailures;
import dev.satellite.cluster.BusRouter;
import dev.satellite.config.RouteSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Actor-to-actor calls meet a breaker, retries within a budget, and a bulkhead per target address. */
@ExtendWith(VertxExtension.class)
@Timeout(30_000)
class EdgeBusTest {

  private Vertx vertx;
  private EdgeBus bus;
  private final AtomicInteger handled = new AtomicInteger();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    bus = edgeBus(3);
  }

  /** Bulkhead 2, breaker after {@code maxFailures} (0 = off), 3 attempts, budget floor 1 retry per second. */
  private EdgeBus edgeBus(int maxFailures) {
    RouteSpec template = new RouteSpec("actor", "actor", Set.of(), Optional.of("*"), Optional.empty(), Optional.empty(),
        Duration.ofSeconds(1),
        2, new RouteSpec.RateLimit(0, 0, "node", "none"),
        new RouteSpec.Breaker(maxFailures, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)),
        new RouteSpec.Retry(3, 0, 1), Optional.empty());
    return new EdgeBus(BusRouter.local(vertx), template, vertx,
        ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext(), new SimpleMeterRegistry(), System::nanoTime,
        Clock.systemUTC());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private ReplyException fails(String address) throws Exception {
    try {
      await(bus.request(address, "x", new DeliveryOptions().setSendTimeout(2000)));
    } catch (ExecutionException e) {
      return (ReplyException) e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void aFailingTargetOpensItsBreakerAndLaterCallsFailFastWithoutReachingIt() throws Exception {
    vertx.eventBus().consumer("broken", m -> {
      handled.incrementAndGet();
      m.fail(ActorFailures.CRASHED, "crashed");
    });
    for (int i = 0; i < 3; i++) {
      assertThat(fails("broken").failureCode()).isEqualTo(ActorFailures.CRASHED);
    }
    ReplyException open = fails("broken");
    assertThat(open.failureCode()).isEqualTo(503);
    assertThat(open.getMessage()).contains("breaker");
    assertThat(handled).hasValue(3);
    assertThat(bus.policy("broken").toJson().getJsonObject("breaker").getString("state")).isEqualTo("open");
  }

  @Test
  void aClientErrorIsNotAFailureOfTheTarget() throws Exception {
    vertx.eventBus().consumer("picky", m -> m.fail(400, "bad message"));
    for (int i = 0; i < 5; i++) {
      assertThat(fails("picky").failureCode()).isEqualTo(400);
    }
    assertThat(bus.policy("picky").toJson().getJsonObject("breaker").getString("state")).isEqualTo("closed");
  }

  @Test
  void noHandlersIsRetriedWithinTheBudgetThenGivenUp() throws Exception {
    bus = edgeBus(0); // no breaker: it would open on these failures and stop the calls first
    ReplyException none = fails("nobody");
    assertThat(none.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
    RetryBudget budget = bus.policy("nobody").budget();
    assertThat(budget.retriesInWindow()).as("3 attempts: 2 retries").isEqualTo(2);
    // the floor is 1 per second over 10 s: after 10 retries in all there are none left
    for (int i = 0; i < 6; i++) {
      fails("nobody");
    }
    assertThat(budget.retriesInWindow()).isEqualTo(10);
    assertThat(budget.left()).isZero();
  }

  @Test
  void aRetryFindsAnInstanceThatCameBack() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    vertx.eventBus().consumer("flaky", m -> {
      if (calls.incrementAndGet() == 1) {
        m.fail(ActorFailures.MAILBOX_FULL, "full");
      } else {
        m.reply("ok");
      }
    });
    assertThat(await(bus.request("flaky", "x", new DeliveryOptions())).body()).isEqualTo("ok");
    assertThat(calls).hasValue(2);
  }

  @Test
  void theBulkheadCapsCallsInFlightToOneAddress() throws Exception {
    vertx.eventBus().consumer("slow", m -> vertx.setTimer(300, t -> m.reply("late")));
    Future<?> a = bus.request("slow", "x", new DeliveryOptions());
    Future<?> b = bus.request("slow", "x", new DeliveryOptions());
    ReplyException third = fails("slow");
    assertThat(third.failureCode()).isEqualTo(ActorFailures.MAILBOX_FULL);
    await(a);
    await(b);
  }

  @Test
  void aBreakerOpenedByAnActorInstanceThatIsGoneStillLetsItsProbeThroughLater() throws Exception {
    // A asks B through the edge client; B fails until its breaker opens; then A's instance crashes and is
    // undeployed. Calls to B (from A's replacement) must get through again once the breaker's wait is over.
    dev.satellite.support.FakeClock clock = new dev.satellite.support.FakeClock();
    RouteSpec template = new RouteSpec("actor", "actor", Set.of(), Optional.of("*"), Optional.empty(), Optional.empty(),
        Duration.ofSeconds(1), 10, new RouteSpec.RateLimit(0, 0, "node", "none"),
        new RouteSpec.Breaker(3, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(60)),
        new RouteSpec.Retry(1, 0, 0), Optional.empty());
    EdgeBus edge = new EdgeBus(BusRouter.local(vertx), template, vertx,
        ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext(), new SimpleMeterRegistry(), clock,
        Clock.systemUTC());
    java.util.concurrent.atomic.AtomicBoolean healthy = new java.util.concurrent.atomic.AtomicBoolean();
    vertx.eventBus().consumer("b", m -> {
      if (healthy.get()) {
        m.reply("ok");
      } else {
        m.fail(ActorFailures.CRASHED, "crashed");
      }
    });
    String a = await(vertx.deployVerticle(new io.vertx.core.VerticleBase() {
      @Override
      public Future<?> start() {
        Future<?> calls = Future.succeededFuture();
        for (int i = 0; i < 3; i++) {
          calls = calls.eventually(() -> edge.request("b", "x", new DeliveryOptions().setSendTimeout(500)));
        }
        return calls.recover(t -> Future.succeededFuture());
      }
    }));
    dev.satellite.edge.breaker.BreakerTesting.settled(vertx, edge.policy("b").breaker(),
        io.vertx.circuitbreaker.CircuitBreakerState.HALF_OPEN);
    assertThat(edge.policy("b").breakerRefusing()).isTrue();
    await(vertx.undeploy(a)); // A's instance is gone, with the timers of its context
    healthy.set(true);
    clock.advance(Duration.ofSeconds(5));
    assertThat(await(edge.request("b", "x", new DeliveryOptions().setSendTimeout(500))).body()).isEqualTo("ok");
    dev.satellite.edge.breaker.BreakerTesting.settled(vertx, edge.policy("b").breaker(),
        io.vertx.circuitbreaker.CircuitBreakerState.CLOSED);
    assertThat(edge.policy("b").breakerClosed()).isTrue();
  }
}
