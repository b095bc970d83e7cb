package dev.satellite.supervision;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One restart after a crash: after the backoff delay, the slots of the children the strategy names are started
 * again in declared order, each child once the one before it is up — as at first start, so a child may rely on an
 * earlier sibling in its {@code onStart}. A slot that a later crash puts into another restart leaves this one, and a
 * restart whose step never completes (a deploy that failed and so started a restart of its own) goes no further.
 *
 * <p>Event-loop confined (owned by one supervisor).
 */
final class Restart {

  /** What a restart needs of its supervisor. */
  interface Deployer {
    /** Deploys a fresh object into the slot; the future completes once it runs (and never, if it fails). */
    Future<Void> deploy(Slot slot, String reason);

    /** Whether the supervisor stopped restarting (it gave up, or is stopping). */
    boolean halted();
  }

  private final Vertx vertx;
  private final Deployer deployer;
  private final List<List<Slot>> steps;
  private final Slot crashed;
  private final String reason;
  private long timer = -1;
  private boolean cancelled;

  /**
   * @param steps   the slots to start, grouped by child, children in declared order
   * @param crashed the slot whose crash caused the restart (its restart reason is {@code reason}; the others'
   *                is {@code sibling})
   */
  Restart(Vertx vertx, Deployer deployer, List<List<Slot>> steps, Slot crashed, String reason) {
    this.vertx = vertx;
    this.deployer = deployer;
    this.steps = steps;
    this.crashed = crashed;
    this.reason = reason;
    for (List<Slot> step : steps) {
      for (Slot slot : step) {
        if (slot.restart != null) {
          slot.restart.leave(slot);
        }
        slot.restart = this;
      }
    }
  }

  /** Starts the first step after {@code delay}. */
  void begin(Duration delay) {
    if (delay.isZero()) {
      step(0);
    } else {
      timer = vertx.setTimer(delay.toMillis(), t -> {
        timer = -1;
        step(0);
      });
    }
  }

  boolean delaying() {
    return timer >= 0;
  }

  void cancel() {
    cancelled = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void leave(Slot slot) {
    for (List<Slot> step : steps) {
      step.remove(slot);
    }
  }

  private void step(int i) {
    if (cancelled || deployer.halted() || i == steps.size()) {
      return;
    }
    List<Future<Void>> running = new ArrayList<>();
    for (Slot slot : new ArrayList<>(steps.get(i))) {
      if (slot.restart == this && slot.state == Slot.State.WAITING) {
        running.add(deployer.deploy(slot, slot == crashed ? reason : "sibling"));
      }
    }
    Future.all(running).onSuccess(v -> step(i + 1));
  }
}
