package dev.satellite.supervision;

import dev.satellite.actor.ActorFailures;
import dev.satellite.config.SupervisorSpec;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Finds hung actor instances: every {@code interval} it pings each running instance on its private node-local
 * address; {@code misses} in a row — no answer within {@code timeout}, or an answer that says the instance no
 * longer finishes its work (its mailbox is full of expired work) — and the instance is reported unresponsive.
 * One ping per instance is in flight at a time; a ping to a replaced instance is ignored.
 *
 * <p>Event-loop confined (owned by one supervisor, run on its context).
 */
final class Liveness {

  private final Vertx vertx;
  private final SupervisorSpec.Liveness spec;
  private final DeliveryOptions options;
  private final BiConsumer<Slot, String> unresponsive;
  private long timer = -1;

  /** @param unresponsive called with the slot and the reason when an instance missed too many pings */
  Liveness(Vertx vertx, SupervisorSpec.Liveness spec, BiConsumer<Slot, String> unresponsive) {
    this.vertx = vertx;
    this.spec = spec;
    this.options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(spec.timeout().toMillis());
    this.unresponsive = unresponsive;
  }

  void start(List<Child> children) {
    if (spec.enabled() && children.stream().anyMatch(c -> !c.spec.isSupervisor())) {
      timer = vertx.setPeriodic(spec.interval().toMillis(), t -> pingAll(children));
    }
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void pingAll(List<Child> children) {
    for (Child c : children) {
      if (c.spec.isSupervisor()) {
        continue;
      }
      for (Slot slot : c.slots) {
        if (slot.state == Slot.State.RUNNING && !slot.pinging) {
          ping(slot);
        }
      }
    }
  }

  private void ping(Slot slot) {
    slot.pinging = true;
    long gen = slot.generation;
    vertx.eventBus().request(slot.binding.pingAddress(), null, options).onComplete(ar -> {
      if (slot.generation != gen) {
        return;
      }
      slot.pinging = false;
      if (ar.succeeded()) {
        slot.missedPings = 0;
        return;
      }
      String miss = missed(ar.cause());
      if (miss != null && ++slot.missedPings >= spec.misses()) {
        unresponsive.accept(slot, slot.missedPings + " liveness pings in a row " + miss);
      }
    });
  }

  /** How a failed ping missed, or null when it says nothing about the instance (it just unregistered). */
  private String missed(Throwable cause) {
    if (cause instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.TIMEOUT) {
        return "not answered within " + spec.timeout().toMillis() + " ms";
      }
      if (ActorFailures.is(re, ActorFailures.UNRESPONSIVE)) {
        return "answered: " + re.getMessage();
      }
    }
    return null;
  }
}
