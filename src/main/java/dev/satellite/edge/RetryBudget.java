package dev.satellite.edge;

import java.util.function.LongSupplier;

/**
 * Linkerd-style retry budget: over a sliding window of {@value #WINDOW_SECONDS} one-second buckets,
 * retries may add at most {@code ratio} × requests, plus {@code minPerSecond} per second so a quiet route
 * can still retry. When a target fails, every caller retrying at once would multiply the outage; the
 * budget caps that at a fixed fraction.
 *
 * <p>Thread-safe (synchronized; touched once per request and once per retry). Time comes from the
 * injected nano clock.
 */
public final class RetryBudget {

  static final int WINDOW_SECONDS = 10;

  private final double ratio;
  private final int minPerSecond;
  private final LongSupplier nanos;
  private final long[] requests = new long[WINDOW_SECONDS];
  private final long[] retries = new long[WINDOW_SECONDS];
  private long currentSecond;

  public RetryBudget(double ratio, int minPerSecond, LongSupplier nanos) {
    this.ratio = ratio;
    this.minPerSecond = minPerSecond;
    this.nanos = nanos;
    this.currentSecond = nanos.getAsLong() / 1_000_000_000L;
  }

  /** Counts a request (a first attempt). */
  public synchronized void onRequest() {
    requests[slot()]++;
  }

  /** Takes one retry from the budget; false when it is spent (the caller must not retry). */
  public synchronized boolean tryRetry() {
    int slot = slot();
    if (left() < 1) {
      return false;
    }
    retries[slot]++;
    return true;
  }

  /** Retries the budget still allows in the current window. */
  public synchronized long left() {
    slot();
    long req = 0;
    long ret = 0;
    for (int i = 0; i < WINDOW_SECONDS; i++) {
      req += requests[i];
      ret += retries[i];
    }
    return (long) Math.floor(ratio * req) + (long) minPerSecond * WINDOW_SECONDS - ret;
  }

  public synchronized long retriesInWindow() {
    slot();
    long ret = 0;
    for (long r : retries) {
      ret += r;
    }
    return ret;
  }

  /** The bucket of the current second, clearing the buckets of the seconds that passed. */
  private int slot() {
    long second = nanos.getAsLong() / 1_000_000_000L;
    long passed = second - currentSecond;
    if (passed > 0) {
      for (long s = 1; s <= Math.min(passed, WINDOW_SECONDS); s++) {
        int i = (int) Math.floorMod(currentSecond + s, (long) WINDOW_SECONDS);
        requests[i] = 0;
        retries[i] = 0;
      }
      currentSecond = second;
    }
    return (int) Math.floorMod(currentSecond, (long) WINDOW_SECONDS);
  }
}
