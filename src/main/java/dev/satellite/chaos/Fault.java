package dev.satellite.chaos;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One injected fault: its spec, when it ends, and its own seeded source of random choices — whether a message or
 * request is affected ({@code probability}) and how much jitter it gets — so the same seed over the same sequence of
 * messages makes the same choices.
 *
 * <p>Thread-safe: choices are made under the fault's lock, the crash count is atomic, the rest immutable or volatile.
 */
public final class Fault {

  private final String id;
  private final FaultSpec spec;
  private final long seed;
  private final Random random;
  private final AtomicInteger remaining;
  private final Instant createdAt;
  private final Instant until;
  private final AtomicBoolean reverted = new AtomicBoolean();
  /** What the fault's effect observed (bytes held, the loop it blocks …), shown with the fault. */
  private final Map<String, Object> observed = new ConcurrentHashMap<>();
  private volatile Runnable stop = () -> { };

  Fault(String id, FaultSpec spec, long seed, Instant createdAt) {
    this.id = id;
    this.spec = spec;
    this.seed = seed;
    this.random = new Random(seed);
    this.remaining = new AtomicInteger(spec.count());
    this.createdAt = createdAt;
    this.until = createdAt.plus(spec.duration());
  }

  public String id() {
    return id;
  }

  public FaultType type() {
    return spec.type();
  }

  public FaultTarget target() {
    return spec.target();
  }

  public FaultSpec spec() {
    return spec;
  }

  public long seed() {
    return seed;
  }

  public Instant until() {
    return until;
  }

  /** True once the fault was reverted (deleted, expired, spent): effects still running must stop. */
  public boolean reverted() {
    return reverted.get();
  }

  /** Records something the fault's effect observed, to be shown with it. */
  public void observe(String key, Object value) {
    observed.put(key, value);
  }

  void onRevert(Runnable stop) {
    this.stop = stop;
  }

  /** Marks the fault reverted and stops its effect; false if it was already. */
  boolean revert() {
    if (!reverted.compareAndSet(false, true)) {
      return false;
    }
    stop.run();
    return true;
  }

  boolean live(Instant now) {
    return !reverted.get() && now.isBefore(until);
  }

  /** Whether this message or request is affected: a draw against {@code probability}. */
  synchronized boolean fires() {
    return spec.probability() >= 1 || random.nextDouble() < spec.probability();
  }

  /** The delay of one affected message or request: {@code delayMs} plus a random share of {@code jitterMs}. */
  synchronized long delayMs() {
    return spec.delayMs() + (spec.jitterMs() > 0 ? random.nextInt((int) spec.jitterMs() + 1) : 0);
  }

  /** Takes one crash off the count; false once none are left. */
  boolean takeCrash() {
    return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  boolean spent() {
    return spec.type() == FaultType.CRASH && remaining.get() == 0;
  }

  /** The fault as the API shows it; {@code remainingMs} is the time left at {@code now}. */
  public JsonObject toJson(Instant now) {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("type", spec.type().label())
        .put("target", spec.target().label())
        .put("createdAt", createdAt.toString())
        .put("expiresAt", until.toString())
        .put("remainingMs", Math.max(0, Duration.between(now, until).toMillis()))
        .put("seed", seed);
    if (spec.type().perEvent()) {
      json.put("probability", spec.probability());
    }
    switch (spec.type()) {
      case CRASH -> json.put("count", spec.count()).put("remaining", remaining.get());
      case LATENCY -> json.put("delayMs", spec.delayMs()).put("jitterMs", spec.jitterMs());
      case ERROR -> json.put(spec.target().kind() == FaultTarget.Kind.ACTOR ? "code" : "status", spec.status());
      case EXIT -> json.put("delayMs", spec.delayMs()).put("exitCode", spec.status());
      case MEMORY_PRESSURE -> json.put("fraction", spec.fraction());
      case CPU_BURN -> json.put("threads", spec.threads());
      case HANG, BLOCK_EVENT_LOOP -> { }
    }
    observed.forEach(json::put);
    return json;
  }

  @Override
  public String toString() {
    return "Fault[" + id + " " + spec.type().label() + " " + spec.target().label() + " seed " + seed + " until " + until + "]";
  }
}
