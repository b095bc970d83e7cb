package dev.satellite.chaos;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One injected fault, aimed at an actor id (so it outlives restarts of the actor's instances).
 * {@code CRASH} makes the next {@code count} messages throw inside the actor's handler; {@code HANG} makes
 * the actor's instances stop answering (messages and liveness pings) until {@code until}, without blocking
 * their event loops. Every fault expires at {@code until}.
 *
 * <p>Thread-safe: the remaining count is atomic, the rest immutable.
 */
public final class Fault {

  /** The kinds of fault an actor can be given. */
  public enum Type {
    CRASH, HANG;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final String id;
  private final Type type;
  private final String target;
  private final int count;
  private final AtomicInteger remaining;
  private final Instant createdAt;
  private final Instant until;

  Fault(String id, Type type, String target, int count, Instant createdAt, Instant until) {
    this.id = id;
    this.type = type;
    this.target = target;
    this.count = count;
    this.remaining = new AtomicInteger(count);
    this.createdAt = createdAt;
    this.until = until;
  }

  public String id() {
    return id;
  }

  public Type type() {
    return type;
  }

  public String target() {
    return target;
  }

  public Instant until() {
    return until;
  }

  /** Takes one crash off the count; false once none are left. */
  boolean takeCrash() {
    return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  boolean spent() {
    return type == Type.CRASH && remaining.get() == 0;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("type", type.label())
        .put("target", target)
        .put("createdAt", createdAt.toString())
        .put("expiresAt", until.toString());
    if (type == Type.CRASH) {
      json.put("count", count).put("remaining", remaining.get());
    }
    return json;
  }

  @Override
  public String toString() {
    return "Fault[" + id + " " + type.label() + " " + target + (type == Type.CRASH ? " x" + remaining.get() : " until " + until) + "]";
  }
}
