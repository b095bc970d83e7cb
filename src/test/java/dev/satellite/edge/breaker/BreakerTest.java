package dev.satellite.edge.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.config.RouteSpec;
import dev.satellite.support.FakeClock;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The breaker on the injected clock: failures while closed open it; open refuses without running the call for a
 * wait that doubles each time a probe fails, up to a bound; after the wait exactly one call goes through as the
 * probe, and its verdict closes the breaker or opens it again. Nothing sleeps: the clock is moved by hand, and the
 * breaker's state does not depend on the life of whoever opened it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30_000)
class BreakerTest {

  private Vertx vertx;
  private Context home;
  private final FakeClock clock = new FakeClock();
  private final List<String> changes = new CopyOnWriteArrayList<>();
  private final AtomicInteger ran = new AtomicInteger();
  private Breaker breaker;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.home = ((VertxInternal) vertx).createEventLoopContext();
    breaker = breaker(3, Duration.ofMillis(100), Duration.ofMillis(350));
  }

  private Breaker breaker(int maxFailures, Duration reset, Duration maxReset) {
    return new Breaker("test", new RouteSpec.Breaker(maxFailures, Duration.ofSeconds(10), reset, maxReset), vertx, home,
        clock, (to, wait) -> changes.add(to.label() + (to == BreakerState.OPEN ? " " + wait / 1_000_000 + "ms" : "")));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** Waits until vertx-circuit-breaker has taken a state change that Satellite asked for on the node's context. */
  private void settled(Breaker b, CircuitBreakerState cbState) throws Exception {
    BreakerTesting.settled(vertx, b, cbState);
  }

  /** Opens the breaker with {@code maxFailures} failures while closed. */
  private void trip(Breaker b, int failures) throws Exception {
    for (int i = 0; i < failures; i++) {
      b.failed();
    }
    settled(b, CircuitBreakerState.HALF_OPEN); // vertx-circuit-breaker is ready to probe; the wait is ours
  }

  /** A probe from an event-loop context, as the gateway makes one; returns how it ended. */
  private AsyncResult<Integer> probe(Supplier<Future<Integer>> call, Verdict verdict) throws Exception {
    Promise<Integer> done = Promise.promise();
    Context caller = ((VertxInternal) vertx).createEventLoopContext();
    caller.runOnContext(v -> breaker.probe(() -> {
      ran.incrementAndGet();
      assertThat(Vertx.currentContext()).as("the call itself runs on its caller's context").isSameAs(caller);
      return call.get();
    }, ar -> verdict).onComplete(done));
    return await(done.future().transform(Future::succeededFuture));
  }

  @Test
  void failuresWhileClosedOpenItAndOpenRefusesUntilTheWaitIsOver() throws Exception {
    breaker.failed();
    breaker.failed();
    assertThat(breaker.closed()).isTrue();
    breaker.failed();
    assertThat(breaker.closed()).isFalse();
    assertThat(breaker.refusing()).as("open at once on the third failure").isTrue();
    assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
    assertThat(breaker.retryAfterSeconds()).isEqualTo(1);
    settled(breaker, CircuitBreakerState.HALF_OPEN);
    clock.advanceMillis(99);
    assertThat(breaker.refusing()).as("vertx-circuit-breaker is ready, but the wait is Satellite's").isTrue();
    clock.advanceMillis(1);
    assertThat(breaker.refusing()).isFalse();
    assertThat(breaker.state()).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(changes).containsExactly("open 100ms");
  }

  @Test
  void aSuccessStartsTheCountAgain() {
    breaker.failed();
    breaker.failed();
    breaker.succeeded();
    breaker.failed();
    breaker.failed();
    assertThat(breaker.closed()).as("two failures after a success are not three in a row").isTrue();
    breaker.failed();
    assertThat(breaker.closed()).isFalse();
  }

  @Test
  void aCallWithoutAVerdictNeitherCountsNorStartsTheCountAgain() {
    breaker.report(Verdict.FAILURE);
    breaker.report(Verdict.FAILURE);
    breaker.report(Verdict.NONE);
    assertThat(breaker.closed()).isTrue();
    breaker.report(Verdict.FAILURE);
    assertThat(breaker.closed()).as("three failures, a call that said nothing in between").isFalse();
  }

  @Test
  void afterTheWaitExactlyOneProbeGoesThroughAndItsSuccessCloses() throws Exception {
    trip(breaker, 3);
    clock.advanceMillis(100);
    Promise<Integer> held = Promise.promise();
    Promise<Integer> first = Promise.promise();
    Promise<Integer> second = Promise.promise();
    Context caller = ((VertxInternal) vertx).createEventLoopContext();
    caller.runOnContext(v -> {
      breaker.probe(() -> {
        ran.incrementAndGet();
        return held.future();
      }, ar -> Verdict.SUCCESS).onComplete(first);
      breaker.probe(() -> {
        ran.incrementAndGet();
        return Future.succeededFuture(200);
      }, ar -> Verdict.SUCCESS).onComplete(second);
    });
    Throwable refused = failure(second.future());
    assertThat(Breaker.refusal(refused)).as("only the probe passes").isTrue();
    assertThat(ran).hasValue(1);
    caller.runOnContext(v -> held.complete(200));
    assertThat(await(first.future())).isEqualTo(200);
    settled(breaker, CircuitBreakerState.CLOSED);
    assertThat(breaker.closed()).isTrue();
    assertThat(changes).containsExactly("open 100ms", "half_open", "closed");
  }

  @Test
  void theWaitDoublesEachTimeAProbeFailsUpToItsBoundAndStartsOverOnceClosed() throws Exception {
    trip(breaker, 3);
    clock.advanceMillis(100);
    AsyncResult<Integer> failed = probe(() -> Future.failedFuture("still down"), Verdict.FAILURE);
    assertThat(failed.failed()).as("the caller learns how its call ended").isTrue();
    assertThat(failed.cause()).hasMessage("still down");
    settled(breaker, CircuitBreakerState.HALF_OPEN);
    clock.advanceMillis(199);
    assertThat(breaker.refusing()).as("open twice as long").isTrue();
    clock.advanceMillis(1);
    assertThat(breaker.refusing()).isFalse();
    probe(() -> Future.failedFuture("still down"), Verdict.FAILURE);
    settled(breaker, CircuitBreakerState.HALF_OPEN);
    clock.advanceMillis(349);
    assertThat(breaker.refusing()).as("350 ms, the bound, not 400").isTrue();
    clock.advanceMillis(1);
    assertThat(probe(() -> Future.succeededFuture(200), Verdict.SUCCESS).result()).isEqualTo(200);
    settled(breaker, CircuitBreakerState.CLOSED);
    trip(breaker, 3);
    assertThat(changes).containsExactly("open 100ms", "half_open", "open 200ms", "half_open", "open 350ms",
        "half_open", "closed", "open 100ms");
  }

  @Test
  void aProbeWithoutAVerdictOpensItAgain() throws Exception {
    trip(breaker, 3);
    clock.advanceMillis(100);
    AsyncResult<Integer> probe = probe(() -> Future.succeededFuture(499), Verdict.NONE);
    assertThat(probe.result()).as("the caller still gets its own result").isEqualTo(499);
    settled(breaker, CircuitBreakerState.HALF_OPEN);
    assertThat(breaker.refusing()).as("a probe whose client left proved nothing").isTrue();
  }

  @Test
  void aBreakerOpenedFromAVerticleThatIsThenUndeployedStillLetsItsProbeThrough() throws Exception {
    // an actor instance trips the breaker of its calls to another actor and, in the same turn of its event loop,
    // crashes and is undeployed: Vert.x cancels an undeployed verticle's timers, so the breaker's way out of open
    // must not be a timer of that verticle's context
    await(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.eventBus().consumer("trip-and-go", m -> {
          breaker.failed();
          breaker.failed();
          breaker.failed();
          vertx.undeploy(context.deploymentID());
          m.reply("gone");
        }).completion();
      }
    }));
    await(vertx.eventBus().request("trip-and-go", null));
    settled(breaker, CircuitBreakerState.HALF_OPEN);
    clock.advanceMillis(100);
    assertThat(probe(() -> Future.succeededFuture(200), Verdict.SUCCESS).result()).isEqualTo(200);
    settled(breaker, CircuitBreakerState.CLOSED);
    assertThat(breaker.closed()).isTrue();
  }

  @Test
  void loopsThatSeeTheLastFailureTogetherOpenItOnce() throws Exception {
    for (int round = 0; round < 200; round++) {
      List<String> seen = new CopyOnWriteArrayList<>();
      Breaker b = new Breaker("race", new RouteSpec.Breaker(1, Duration.ofSeconds(10), Duration.ofSeconds(30),
          Duration.ofSeconds(60)), vertx, home, clock, (to, wait) -> seen.add(to.label()));
      CyclicBarrier together = new CyclicBarrier(2);
      Runnable fail = () -> {
        try {
          together.await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        b.failed();
      };
      Thread a = new Thread(fail);
      Thread c = new Thread(fail);
      a.start();
      c.start();
      a.join(5000);
      c.join(5000);
      settled(b, CircuitBreakerState.HALF_OPEN);
      assertThat(seen).as("round %d", round).containsExactly("open");
    }
  }

  private static Throwable failure(Future<?> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }
}
