package dev.satellite.supervision;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a wedged event loop — one blocked longer than {@code maxLoopBlock} — which no supervisor can see
 * from inside (its own handlers would not run). From a thread of its own it posts a heartbeat task to
 * every event loop and checks how long ago each last ran; a loop that has been silent too long is
 * reported once, and the node then fails liveness and exits (crash-fast: a restarted pod beats a stuck one).
 *
 * <p>Thread-safe: heartbeats land in an atomic array; {@link #check(long)} runs on the watchdog thread.
 */
public final class LoopWatchdog {

  private static final Logger LOG = LoggerFactory.getLogger(LoopWatchdog.class);

  private final List<Context> loops;
  private final AtomicLongArray lastBeat;
  private final long maxBlockNanos;
  private final LongSupplier nanoClock;
  private final Consumer<String> onWedged;
  private volatile boolean running;
  private volatile boolean reported;
  private Thread thread;

  LoopWatchdog(List<Context> loops, Duration maxBlock, LongSupplier nanoClock, Consumer<String> onWedged) {
    this.loops = List.copyOf(loops);
    this.lastBeat = new AtomicLongArray(loops.size());
    this.maxBlockNanos = maxBlock.toNanos();
    this.nanoClock = nanoClock;
    this.onWedged = onWedged;
    resetBeats(nanoClock.getAsLong());
  }

  /**
   * A watchdog over every event loop of {@code vertx}: one context per Netty event loop, built through
   * Vert.x's internal context builder (public API only hands out contexts round-robin or sticky to the
   * calling thread, which cannot guarantee one per loop). {@code LoopWatchdogTest} fails if that moves.
   */
  public static LoopWatchdog forEventLoops(Vertx vertx, Duration maxBlock, Consumer<String> onWedged) {
    VertxInternal internal = (VertxInternal) vertx;
    List<Context> loops = new ArrayList<>();
    for (EventExecutor executor : internal.nettyEventLoopGroup()) {
      loops.add(internal.contextBuilder().withEventLoop((EventLoop) executor).build());
    }
    return new LoopWatchdog(loops, maxBlock, System::nanoTime, onWedged);
  }

  /** How many event loops are watched. */
  public int loops() {
    return loops.size();
  }

  /** Visits the watched contexts (one per event loop). */
  void each(Consumer<Context> visitor) {
    loops.forEach(visitor);
  }

  /** Starts the watchdog thread: heartbeats and checks every quarter of {@code maxLoopBlock} (at most 1 s). */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    long periodMs = Math.max(10, Math.min(1000, maxBlockNanos / 4_000_000));
    thread = new Thread(() -> {
      while (running) {
        beat();
        long before = nanoClock.getAsLong();
        try {
          Thread.sleep(periodMs);
        } catch (InterruptedException e) {
          return;
        }
        long now = nanoClock.getAsLong();
        if (now - before > 2 * periodMs * 1_000_000 + 50_000_000) {
          // this thread was not running either: the whole process was paused (SIGSTOP, GC, VM), not one loop
          LOG.warn("the process was paused for {} ms; not counting that against the event loops",
              (now - before - periodMs * 1_000_000) / 1_000_000);
          resetBeats(now);
          continue;
        }
        check(now);
      }
    }, "satellite-loop-watchdog");
    thread.setDaemon(true);
    thread.start();
  }

  public synchronized void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void resetBeats(long now) {
    for (int i = 0; i < loops.size(); i++) {
      lastBeat.set(i, now);
    }
  }

  /** Posts a heartbeat task to every loop; each records when it ran. */
  void beat() {
    for (int i = 0; i < loops.size(); i++) {
      int index = i;
      loops.get(i).runOnContext(v -> lastBeat.set(index, nanoClock.getAsLong()));
    }
  }

  /** Reports the first loop whose last heartbeat is older than the limit; true if one is wedged. */
  boolean check(long now) {
    for (int i = 0; i < loops.size(); i++) {
      long silentNanos = now - lastBeat.get(i);
      if (silentNanos > maxBlockNanos) {
        if (!reported) {
          reported = true;
          String reason = "event loop " + i + " blocked for at least " + silentNanos / 1_000_000 + " ms (limit "
              + maxBlockNanos / 1_000_000 + " ms)";
          LOG.error("wedged: {}", reason);
          onWedged.accept(reason);
        }
        return true;
      }
    }
    return false;
  }
}
