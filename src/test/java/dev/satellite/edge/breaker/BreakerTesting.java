package dev.satellite.edge.breaker;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** For tests in other packages: wait until vertx-circuit-breaker took the state change a breaker asked of it. */
public final class BreakerTesting {

  private BreakerTesting() {
  }

  /** Waits (on Vert.x timers, at most ~2 s) until the breaker's vertx-circuit-breaker is in {@code state}. */
  public static void settled(Vertx vertx, Breaker breaker, CircuitBreakerState state) throws Exception {
    for (int i = 0; i < 1000 && breaker.vertxState() != state; i++) {
      Promise<Void> tick = Promise.promise();
      vertx.setTimer(2, t -> tick.complete());
      tick.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    if (breaker.vertxState() != state) {
      throw new AssertionError("vertx-circuit-breaker is " + breaker.vertxState() + ", not " + state);
    }
  }
}
