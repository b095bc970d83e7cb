package dev.satellite.edge;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most {@code limit} requests in flight on one route on this node; the next one is refused at once
 * (503), never queued.
 *
 * <p>Thread-safe.
 */
public final class Bulkhead {

  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();

  public Bulkhead(int limit) {
    this.limit = limit;
  }

  public boolean tryEnter() {
    if (inFlight.incrementAndGet() > limit) {
      inFlight.decrementAndGet();
      refused.incrementAndGet();
      return false;
    }
    return true;
  }

  public void exit() {
    inFlight.decrementAndGet();
  }

  public int inFlight() {
    return inFlight.get();
  }

  public long refused() {
    return refused.get();
  }

  public int limit() {
    return limit;
  }
}
