package dev.satellite.supervision;

import dev.satellite.actor.Actor;
import dev.satellite.actor.ActorBinding;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;

/**
 * One deployment slot of a child: which object runs in it now, in what state, since when. Its generation changes
 * with every fresh object put in it, so a late signal from an object that was already replaced is recognised as
 * stale and ignored.
 *
 * <p>Event-loop confined (owned by one supervisor).
 */
final class Slot {

  /** Where a slot is in its life. */
  enum State {
    /** A fresh object is being deployed. */
    STARTING,
    /** Deployed and serving. */
    RUNNING,
    /** Out of service, waiting to be started (again). */
    WAITING,
    /** Out of service for good (a temporary child, a non-permanent one that exited, a supervisor stopping). */
    STOPPED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  final Child child;
  final int index;
  long generation;
  State state = State.WAITING;
  String deploymentId;
  /** The actor object in the slot, when the child is an actor. */
  Actor<?> actor;
  /** The supervisor object in the slot, when the child is a nested supervisor. */
  Supervisor nested;
  ActorBinding binding;
  Instant startedAt;
  /** {@code System.nanoTime()} of the crash that emptied the slot: restart events report the time it was down. */
  long crashNanos;
  /** The restart this slot waits for, if any. */
  Restart restart;
  boolean pinging;
  int missedPings;

  Slot(Child child, int index) {
    this.child = child;
    this.index = index;
  }

  boolean inService() {
    return state == State.STARTING || state == State.RUNNING;
  }

  /** Whether the slot waits out a backoff delay before its restart. */
  boolean backingOff() {
    return state == State.WAITING && restart != null && restart.delaying();
  }

  JsonObject toJson() {
    return new JsonObject().put("index", index).put("state", state.label()).put("generation", generation)
        .put("since", state == State.RUNNING && startedAt != null ? startedAt.toString() : null);
  }
}
