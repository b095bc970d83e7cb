package dev.satellite.edge.breaker;

import java.time.Duration;

/**
 * How long a breaker stays open: {@code resetTimeout} the first time, twice as long each time a probe fails and it
 * opens again, up to {@code maxResetTimeout} (Resilience4j's exponential wait in the open state). A target that stays
 * down is probed less and less often, so probes cannot keep feeding a failure — a crash loop, say — at a steady
 * rate; once a probe succeeds and the breaker closes, the next opening waits {@code resetTimeout} again.
 *
 * <p>Thread-safe: immutable.
 */
public record OpenWait(Duration resetTimeout, Duration maxResetTimeout) {

  /** The wait of the {@code n}-th opening in a row (1 = the first). */
  public long nanos(int n) {
    long base = resetTimeout.toNanos();
    long max = Math.max(base, maxResetTimeout.toNanos());
    int shift = Math.min(Math.max(0, n - 1), 40);
    return base > (max >> shift) ? max : Math.min(max, base << shift);
  }
}
