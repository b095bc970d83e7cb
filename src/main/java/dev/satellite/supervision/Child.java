package dev.satellite.supervision;

import dev.satellite.actor.ActorMeters;
import dev.satellite.config.ChildSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One child spec of a supervisor and its instance slots, with what the supervisor tracks of it: restarts, the last
 * crash, the backoff between its restarts, and its live-instance count (shared with a gauge).
 *
 * <p>Event-loop confined (owned by one supervisor); {@link #alive} is read by the gauge from any thread.
 */
final class Child {

  final int index;
  final ChildSpec spec;
  final List<Slot> slots = new ArrayList<>();
  final RestartBackoff backoff;
  final ActorMeters meters;
  /** Live instances; shared with the gauge, which outlives a restart of this supervisor. */
  final AtomicInteger alive;
  int restarts;
  String lastCrashReason;
  Instant lastCrashAt;

  Child(int index, ChildSpec spec, RestartBackoff backoff, AtomicInteger alive, MeterRegistry registry) {
    this.index = index;
    this.spec = spec;
    this.backoff = backoff;
    this.alive = alive;
    this.meters = ActorMeters.of(registry, spec.id());
    for (int i = 0; i < spec.instances(); i++) {
      slots.add(new Slot(this, i));
    }
  }

  boolean temporary() {
    return spec.restart() == ChildSpec.Restart.TEMPORARY;
  }

  String status() {
    boolean allRunning = true;
    boolean allStopped = true;
    boolean backingOff = false;
    for (Slot slot : slots) {
      allRunning &= slot.state == Slot.State.RUNNING;
      allStopped &= slot.state == Slot.State.STOPPED;
      backingOff |= slot.backingOff();
    }
    return allRunning ? "running" : allStopped ? "stopped" : backingOff ? "backing_off" : "restarting";
  }

  JsonObject toJson() {
    JsonObject lastCrash = lastCrashAt == null ? null
        : new JsonObject().put("reason", lastCrashReason).put("at", lastCrashAt.toString());
    JsonArray instances = new JsonArray();
    slots.forEach(s -> instances.add(s.toJson()));
    return new JsonObject()
        .put("id", spec.id())
        .put("kind", spec.isSupervisor() ? "supervisor" : "actor")
        .put("actor", spec.actor().orElse(null))
        .put("address", spec.isSupervisor() ? null : spec.address())
        .put("restart", spec.restart().label())
        .put("status", status())
        .put("wanted", slots.size())
        .put("alive", alive.get())
        .put("restarts", restarts)
        .put("lastCrash", lastCrash)
        .put("backoffMs", backoff.last().toMillis())
        .put("instances", instances);
  }
}
