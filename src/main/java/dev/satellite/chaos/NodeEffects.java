package dev.satellite.chaos;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The effects of the faults that act on the process:
 * <ul>
 *   <li>{@code exit}: a timer on a context the node owns halts the process ({@code Runtime.halt}: no drain, no
 *       hooks) after {@code delayMs}; reverting the fault first cancels it;</li>
 *   <li>{@code block-event-loop}: one event loop (the next in Vert.x's rotation) runs a task that parks until the
 *       fault ends — on purpose, it is what the loop watchdog and liveness pings must find;</li>
 *   <li>{@code memory-pressure}: a thread of its own allocates 1 MiB blocks up to the fraction of the maximum heap,
 *       leaving a margin so the fault never makes the JVM run out of memory, and drops them when the fault ends;</li>
 *   <li>{@code cpu-burn}: {@code threads} daemon threads spin until the fault ends.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class NodeEffects implements FaultEffects {

  private static final Logger LOG = LoggerFactory.getLogger("satellite.chaos");
  private static final int BLOCK = 1 << 20;
  /** What memory pressure leaves free: a twentieth of the heap, and at least 16 MiB. */
  static long margin(long maxHeap) {
    return Math.max(16L << 20, maxHeap / 20);
  }

  private final Vertx vertx;
  private final IntConsumer halt;

  /**
   * @param halt ends the process with a code ({@code Runtime.getRuntime()::halt} in a node)
   */
  public NodeEffects(Vertx vertx, IntConsumer halt) {
    this.vertx = vertx;
    this.halt = halt;
  }

  @Override
  public void start(Fault fault) {
    switch (fault.type()) {
      case EXIT -> exit(fault);
      case BLOCK_EVENT_LOOP -> block(fault);
      case MEMORY_PRESSURE -> pressure(fault);
      case CPU_BURN -> burn(fault);
      default -> throw new IllegalArgumentException(fault.type().label() + " is not a node fault");
    }
  }

  private void exit(Fault fault) {
    Context home = ((VertxInternal) vertx).createEventLoopContext();
    long delay = Math.max(1, fault.spec().delayMs());
    home.runOnContext(v -> {
      long timer = vertx.setTimer(delay, t -> {
        if (!fault.reverted()) {
          LOG.warn("chaos: fault {} halts the process now with exit code {}", fault.id(), fault.spec().status());
          halt.accept(fault.spec().status());
        }
      });
      fault.onRevert(() -> vertx.cancelTimer(timer));
    });
  }

  private void block(Fault fault) {
    Context loop = ((VertxInternal) vertx).createEventLoopContext();
    long end = System.nanoTime() + fault.spec().duration().toNanos();
    loop.runOnContext(v -> {
      fault.observe("loop", Thread.currentThread().getName());
      while (!fault.reverted() && System.nanoTime() < end) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    });
  }

  private void pressure(Fault fault) {
    // what is held: cleared by the revert (from any thread) without waiting for the allocating thread
    List<byte[]> held = Collections.synchronizedList(new ArrayList<>());
    fault.onRevert(() -> {
      held.clear();
      fault.observe("heldBytes", 0L);
    });
    Thread t = new Thread(() -> {
      Runtime rt = Runtime.getRuntime();
      long max = rt.maxMemory();
      long target = (long) (max * fault.spec().fraction());
      long bytes = 0;
      while (bytes < target && !fault.reverted()) {
        long used = rt.totalMemory() - rt.freeMemory();
        if (max - used - BLOCK < margin(max)) {
          break;
        }
        byte[] block = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i += 4096) {
          block[i] = 1; // touch every page, so the memory is really taken
        }
        held.add(block);
        bytes += BLOCK;
      }
      if (fault.reverted()) {
        held.clear(); // a block added after the revert cleared the list
        return;
      }
      fault.observe("heldBytes", bytes);
      if (bytes < target) {
        LOG.warn("chaos: fault {} holds {} MiB, less than the {} MiB asked: the rest would leave under {} MiB of heap free",
            fault.id(), bytes >> 20, target >> 20, margin(max) >> 20);
      }
    }, "satellite-chaos-memory-" + fault.id());
    t.setDaemon(true);
    t.start();
  }

  private void burn(Fault fault) {
    long end = System.nanoTime() + fault.spec().duration().toNanos();
    for (int i = 0; i < fault.spec().threads(); i++) {
      Thread t = new Thread(() -> {
        long x = 1;
        while (!fault.reverted() && System.nanoTime() < end) {
          for (int j = 0; j < 100_000; j++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
          }
        }
        if (x == 42) {
          LOG.trace("unlikely"); // keeps the loop from being optimised away
        }
      }, "satellite-chaos-cpu-" + fault.id() + "-" + i);
      t.setDaemon(true);
      t.start();
    }
  }
}
