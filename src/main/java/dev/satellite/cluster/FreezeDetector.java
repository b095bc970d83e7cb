package dev.satellite.cluster;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Notices that the whole process was frozen (SIGSTOP, a long GC or VM pause): a thread of its own wakes up
 * every {@value #TICK_MS} ms and finds much more time gone than it slept. A clustered node frozen longer than
 * {@code maxPause} must assume the others removed it and routed around it; it reports that once, and the
 * node exits 70 instead of carrying on half-alive with a stale view.
 *
 * <p>Thread-safe.
 */
public final class FreezeDetector {

  static final long TICK_MS = 100;

  private final long maxPauseNanos;
  private final LongSupplier nanoClock;
  private final Consumer<String> onFrozen;
  private volatile boolean running;
  private volatile boolean reported;
  private long last;

  public FreezeDetector(Duration maxPause, LongSupplier nanoClock, Consumer<String> onFrozen) {
    this.maxPauseNanos = maxPause.toNanos();
    this.nanoClock = nanoClock;
    this.onFrozen = onFrozen;
    this.last = nanoClock.getAsLong();
  }

  public void start() {
    running = true;
    last = nanoClock.getAsLong();
    Thread t = new Thread(() -> {
      while (running) {
        try {
          Thread.sleep(TICK_MS);
        } catch (InterruptedException e) {
          return;
        }
        if (running) {
          tick(nanoClock.getAsLong());
        }
      }
    }, "satellite-freeze-detector");
    t.setDaemon(true);
    t.start();
  }

  public void stop() {
    running = false;
  }

  /** One wake-up at {@code now}; true when the gap since the last one means the process was frozen. */
  boolean tick(long now) {
    long gap = now - last;
    last = now;
    if (gap > maxPauseNanos && !reported) {
      reported = true;
      onFrozen.accept("the process was frozen for " + gap / 1_000_000 + " ms (limit " + maxPauseNanos / 1_000_000
          + " ms): the cluster has moved on without it");
      return true;
    }
    return false;
  }
}
