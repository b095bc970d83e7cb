package dev.satellite.edge.breaker;

/** Told of every state change of a breaker (to log, count and publish it). Implementations must not block. */
@FunctionalInterface
public interface BreakerListener {

  /**
   * @param to        the new state
   * @param waitNanos when {@code to} is {@link BreakerState#OPEN}: how long it stays open this time
   */
  void changed(BreakerState to, long waitNanos);
}
