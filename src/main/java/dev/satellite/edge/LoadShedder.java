package dev.satellite.edge;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Node-wide load shedding: new requests on routes are refused (503) while more than {@code maxInFlight}
 * are in flight, or while an event loop is running late by more than {@code maxLoopDelay} at its last two
 * probes (each loop reports how late its periodic probe timer fired). One late probe alone is a stall that
 * is over — a GC pause, a fresh node's first request through code not yet loaded — and refusing the requests
 * that queued behind it protects nothing; a loop that stays late is saturated. Refusing early keeps the
 * requests already accepted fast; health probes and metrics are never shed.
 *
 * <p>Thread-safe.
 */
public final class LoadShedder {

  private final int maxInFlight;
  private final long maxLoopDelayNanos;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLongArray loopDelay;
  private final AtomicLongArray previousLoopDelay;
  private final AtomicLong shed = new AtomicLong();

  /**
   * @param loops how many event loops report their delay
   */
  public LoadShedder(int maxInFlight, Duration maxLoopDelay, int loops) {
    this.maxInFlight = maxInFlight;
    this.maxLoopDelayNanos = maxLoopDelay.toNanos();
    this.loopDelay = new AtomicLongArray(Math.max(1, loops));
    this.previousLoopDelay = new AtomicLongArray(loopDelay.length());
  }

  /** Takes a slot for a new request, or returns false (and counts a shed request) when the node is overloaded. */
  public boolean tryEnter() {
    if (overloadedByDelay()) {
      shed.incrementAndGet();
      return false;
    }
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      shed.incrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives the slot back when the request ends. */
  public void exit() {
    inFlight.decrementAndGet();
  }

  /** Loop {@code loop} just measured that its probe timer fired {@code lateNanos} late (called on that loop only). */
  public void reportLoopDelay(int loop, long lateNanos) {
    int i = Math.floorMod(loop, loopDelay.length());
    previousLoopDelay.set(i, loopDelay.get(i));
    loopDelay.set(i, Math.max(0, lateNanos));
  }

  private boolean overloadedByDelay() {
    if (maxLoopDelayNanos <= 0) {
      return false;
    }
    for (int i = 0; i < loopDelay.length(); i++) {
      if (Math.min(loopDelay.get(i), previousLoopDelay.get(i)) > maxLoopDelayNanos) {
        return true;
      }
    }
    return false;
  }

  public boolean shedding() {
    return overloadedByDelay() || inFlight.get() >= maxInFlight;
  }

  public int inFlight() {
    return inFlight.get();
  }

  public long shedCount() {
    return shed.get();
  }

  /** The largest delay any loop reported last, in milliseconds. */
  public double maxLoopDelayMs() {
    long max = 0;
    for (int i = 0; i < loopDelay.length(); i++) {
      max = Math.max(max, loopDelay.get(i));
    }
    return max / 1e6;
  }
}
