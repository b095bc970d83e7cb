package dev.satellite.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.config.RouteSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A route's breaker: while closed, calls run straight to the target and their failures are counted by the
 * route, which opens vertx-circuit-breaker at the limit; open refuses without running the call; half-open
 * lets exactly one call through, and its success closes the breaker.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30_000)
class RoutePolicyBreakerTest {

  private Vertx vertx;
  private RoutePolicy policy;
  private final AtomicInteger ran = new AtomicInteger();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    policy = new RoutePolicy(new RouteSpec("/t", "/t", Set.of(), Optional.of("t"), Optional.empty(), Optional.empty(),
        Duration.ofSeconds(1), 100, new RouteSpec.RateLimit(0, 0, "node", "none"),
        new RouteSpec.Breaker(3, Duration.ofSeconds(10), Duration.ofMillis(300)), new RouteSpec.Retry(1, 0, 0)),
        null, vertx, new SimpleMeterRegistry(), System::nanoTime);
  }

  /** Runs one call through the breaker on a Vert.x context, as the gateway does; returns it once complete. */
  private Future<Integer> call(boolean succeed) throws Exception {
    return call(() -> succeed ? Future.succeededFuture(200) : Future.failedFuture("target failed"));
  }

  private Future<Integer> call(java.util.function.Supplier<Future<Integer>> target) throws Exception {
    Promise<Integer> done = Promise.promise();
    vertx.runOnContext(v -> policy.throughBreaker(() -> {
      ran.incrementAndGet();
      return target.get();
    }).onComplete(done));
    done.future().transform(ar -> Future.succeededFuture()).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    return done.future();
  }

  private void settle() throws Exception {
    // a half-open probe's outcome reaches vertx-circuit-breaker on the next turn of its context
    Promise<Void> p = Promise.promise();
    vertx.setTimer(20, t -> p.complete());
    p.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void failuresWhileClosedOpenTheBreakerAndAnOpenBreakerRunsNothing() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(call(false).failed()).isTrue();
    }
    assertThat(policy.breakerOpen()).as("open at once on the third failure").isTrue();
    int before = ran.get();
    Future<Integer> refused = call(true);
    assertThat(refused.failed()).isTrue();
    assertThat(ActorCall.breakerRefused(refused.cause())).isTrue();
    assertThat(ran.get()).as("an open breaker does not touch the target").isEqualTo(before);
  }

  @Test
  void aSuccessStartsTheCountAgain() throws Exception {
    call(false);
    call(false);
    assertThat(call(true).succeeded()).isTrue();
    call(false);
    call(false);
    assertThat(policy.breakerClosed()).as("two failures after a success are not three in a row").isTrue();
    call(false);
    assertThat(policy.breakerOpen()).isTrue();
  }

  @Test
  void halfOpenLetsExactlyOneCallThroughAndItsSuccessCloses() throws Exception {
    for (int i = 0; i < 3; i++) {
      call(false);
    }
    assertThat(policy.breakerOpen()).isTrue();
    TimeUnit.MILLISECONDS.sleep(400); // past resetTimeout: half-open
    assertThat(policy.breakerOpen()).isFalse();
    assertThat(policy.breakerClosed()).isFalse();

    Promise<Integer> probe = Promise.promise();
    Promise<Integer> second = Promise.promise();
    Promise<Integer> held = Promise.promise();
    int before = ran.get();
    vertx.runOnContext(v -> {
      policy.throughBreaker(() -> {
        ran.incrementAndGet();
        return held.future();
      }).onComplete(probe);
      policy.throughBreaker(() -> {
        ran.incrementAndGet();
        return Future.succeededFuture(200);
      }).onComplete(second);
    });
    Throwable refused = failure(second.future());
    assertThat(ActorCall.breakerRefused(refused)).as("only the probe passes while half-open").isTrue();
    assertThat(ran.get() - before).isEqualTo(1);
    vertx.runOnContext(v -> held.complete(200));
    assertThat(probe.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(200);
    settle();
    assertThat(policy.breakerClosed()).isTrue();
  }

  @Test
  void aCallWithoutAVerdictNeitherCountsNorStartsTheCountAgain() throws Exception {
    call(false);
    call(false);
    Future<Integer> clientLeft = call(() -> Future.succeededFuture(RoutePolicy.NO_VERDICT));
    assertThat(clientLeft.result()).isEqualTo(RoutePolicy.NO_VERDICT);
    assertThat(policy.breakerClosed()).isTrue();
    call(false);
    assertThat(policy.breakerOpen()).as("three failures, a call that said nothing in between").isTrue();
  }

  @Test
  void aHalfOpenProbeWithoutAVerdictOpensTheBreakerAgain() throws Exception {
    for (int i = 0; i < 3; i++) {
      call(false);
    }
    TimeUnit.MILLISECONDS.sleep(400); // past resetTimeout (vertx-circuit-breaker's own timer): half-open
    assertThat(policy.breakerClosed()).isFalse();
    Future<Integer> probe = call(() -> Future.succeededFuture(RoutePolicy.NO_VERDICT));
    assertThat(probe.result()).as("the caller still learns how its call ended").isEqualTo(RoutePolicy.NO_VERDICT);
    settle();
    assertThat(policy.breakerOpen()).as("a probe whose client left proved nothing").isTrue();
  }

  @Test
  void loopsThatSeeTheLastFailureTogetherOpenTheBreakerOnce() throws Exception {
    for (int round = 0; round < 200; round++) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      RoutePolicy p = new RoutePolicy(new RouteSpec("/t", "/t", Set.of(), Optional.of("t"), Optional.empty(),
          Optional.empty(), Duration.ofSeconds(1), 100, new RouteSpec.RateLimit(0, 0, "node", "none"),
          new RouteSpec.Breaker(1, Duration.ofSeconds(10), Duration.ofSeconds(30)), new RouteSpec.Retry(1, 0, 0)),
          null, vertx, registry, System::nanoTime);
      java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
      Runnable fail = () -> {
        try {
          together.await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        p.targetFailed(new RuntimeException("target failed"));
      };
      Thread a = new Thread(fail);
      Thread b = new Thread(fail);
      a.start();
      b.start();
      a.join(5000);
      b.join(5000);
      double opened = registry.get(dev.satellite.metrics.MetricNames.BREAKER_TRANSITIONS).tag("state", "open")
          .counter().count();
      assertThat(opened).as("round %d", round).isEqualTo(1.0);
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
