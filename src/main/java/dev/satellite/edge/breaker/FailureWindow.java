package dev.satellite.edge.breaker;

import java.util.function.LongSupplier;

/**
 * Counts a closed breaker's failures: it trips when {@code maxFailures} failures fall within {@code window},
 * and a success starts the count again (vertx-circuit-breaker's rule for its closed state). It remembers the
 * times of the last {@code maxFailures} failures only, so a check costs the same however busy the route is.
 * Time comes from the injected nano clock.
 *
 * <p>Thread-safe: failures take a lock; a success on a clean count takes none.
 */
final class FailureWindow {

  private final long windowNanos;
  private final LongSupplier nanos;
  private final long[] times;
  private int next;
  private int count;
  /** Whether any failure is counted: lets the success path skip the lock on a healthy route. */
  private volatile boolean dirty;

  FailureWindow(int maxFailures, long windowNanos, LongSupplier nanos) {
    this.windowNanos = windowNanos;
    this.nanos = nanos;
    this.times = new long[maxFailures];
  }

  /** Counts a failure; true when it makes {@code maxFailures} within the window (the breaker must open). */
  synchronized boolean failed() {
    long now = nanos.getAsLong();
    times[next] = now;
    next = (next + 1) % times.length;
    count = Math.min(count + 1, times.length);
    dirty = true;
    // with the ring full, the slot to be written next holds the oldest of the last maxFailures failures
    return count == times.length && now - times[next] <= windowNanos;
  }

  /** A success: the count starts again. */
  void succeeded() {
    if (dirty) {
      clear();
    }
  }

  synchronized void clear() {
    count = 0;
    next = 0;
    dirty = false;
  }

  /** Failures counted now that are still within the window. */
  synchronized int recent() {
    long now = nanos.getAsLong();
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (now - times[Math.floorMod(next - 1 - i, times.length)] <= windowNanos) {
        n++;
      }
    }
    return n;
  }
}
