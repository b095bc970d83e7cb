package dev.satellite.chaos;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults currently injected into this node, in memory only, by target. Actors and routes consult it on every
 * message and request; with chaos off the node uses {@link #DISABLED}, whose checks cost one field read, and with
 * chaos on but nothing injected one atomic read.
 *
 * <p>A fault ends when it is deleted, when its duration runs out, or (crash) when its count is used up. Its effect
 * stops at once either way; the listener hears of the end from {@link #revertExpired()}, which the node calls a few
 * times a second, so an expiry is logged a little after the fact, never acted on late.
 *
 * <p>Thread-safe.
 */
public final class FaultRegistry {

  /** A registry that holds nothing and accepts nothing: chaos is off. */
  public static final FaultRegistry DISABLED = new FaultRegistry(Clock.systemUTC(), false);

  /** How long a crash fault lives when its count is not used up. */
  public static final Duration CRASH_FAULT_TTL = FaultSpec.DEFAULT_DURATION;

  private final Clock clock;
  private final boolean enabled;
  private final Map<FaultTarget, List<Fault>> byTarget = new ConcurrentHashMap<>();
  private final Map<String, Victim> victims = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final Random seeds = new Random();
  /** Faults injected and not yet ended: the one read the hot path makes when none is. */
  private final AtomicInteger live = new AtomicInteger();
  /**
   * The event-bus address the node publishes its chaos events on (cluster-wide), as JSON:
   * {@code {"event":"injected"|"reverted"|"monkey","node":…,"at":…, …}}.
   */
  public static final String EVENTS_ADDRESS = "satellite.chaos";

  private volatile FaultListener listener = FaultListener.NONE;
  private volatile FaultEffects effects = FaultEffects.NONE;

  public FaultRegistry(Clock clock) {
    this(clock, true);
  }

  private FaultRegistry(Clock clock, boolean enabled) {
    this.clock = clock;
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  public Clock clock() {
    return clock;
  }

  /** Who hears of injections and reverts; set once by the node. */
  public void listen(FaultListener listener) {
    this.listener = listener;
  }

  /** What carries out node faults; set once by the node. */
  public void effects(FaultEffects effects) {
    this.effects = effects;
  }

  // ---- injecting and reverting -----------------------------------------------------------------------

  /** Injects a fault; its effect (for node faults) starts at once. */
  public Fault inject(FaultSpec spec) {
    if (!enabled) {
      throw new IllegalStateException("chaos is disabled");
    }
    long seed;
    if (spec.seed() != null) {
      seed = spec.seed();
    } else {
      synchronized (seeds) {
        seed = seeds.nextLong();
      }
    }
    Fault fault = new Fault("f" + ids.incrementAndGet(), spec, seed, clock.instant());
    if (spec.target().kind() == FaultTarget.Kind.NODE) {
      effects.start(fault);
    }
    byTarget.computeIfAbsent(spec.target(), t -> new CopyOnWriteArrayList<>()).add(fault);
    live.incrementAndGet();
    listener.injected(fault);
    return fault;
  }

  /** Makes the next {@code count} messages to actor {@code target} throw. */
  public Fault crash(String target, int count) {
    return inject(FaultSpec.crash(target, count));
  }

  /** Makes actor {@code target} stop answering for {@code duration}. */
  public Fault hang(String target, Duration duration) {
    return inject(FaultSpec.hang(target, duration));
  }

  /** Reverts the fault with this id; false if no active fault has it. */
  public boolean remove(String id) {
    for (List<Fault> faults : byTarget.values()) {
      for (Fault f : faults) {
        if (f.id().equals(id) && faults.remove(f)) {
          end(f, f.live(clock.instant()) ? FaultListener.Reverted.DELETED : FaultListener.Reverted.EXPIRED);
          return true;
        }
      }
    }
    return false;
  }

  /** Reverts every fault; returns those that were still active. */
  public List<Fault> removeAll() {
    List<Fault> removed = new ArrayList<>();
    for (List<Fault> faults : byTarget.values()) {
      for (Fault f : faults) {
        if (faults.remove(f)) {
          removed.add(f);
        }
      }
    }
    removed.sort(ORDER);
    removed.forEach(f -> end(f, FaultListener.Reverted.DELETED));
    return removed;
  }

  /** Ends the faults whose time is up or whose count is spent; the node calls this a few times a second. */
  public void revertExpired() {
    if (live.get() == 0) {
      return;
    }
    Instant now = clock.instant();
    for (List<Fault> faults : byTarget.values()) {
      for (Fault f : faults) {
        if ((f.spent() || !f.live(now)) && faults.remove(f)) {
          end(f, f.spent() ? FaultListener.Reverted.SPENT : FaultListener.Reverted.EXPIRED);
        }
      }
    }
  }

  /** Ends a fault just taken out of its list (by one caller only: the list's remove decides who). */
  private void end(Fault f, FaultListener.Reverted why) {
    live.decrementAndGet();
    if (f.revert()) {
      listener.reverted(f, why);
    }
  }

  private static final Comparator<Fault> ORDER = Comparator.comparingLong(f -> Long.parseLong(f.id().substring(1)));

  /** The active faults, oldest first. */
  public List<Fault> active() {
    Instant now = clock.instant();
    List<Fault> out = new ArrayList<>();
    for (List<Fault> faults : byTarget.values()) {
      for (Fault f : faults) {
        if (f.live(now) && !f.spent()) {
          out.add(f);
        }
      }
    }
    out.sort(ORDER);
    return out;
  }

  // ---- what messages and requests ask ----------------------------------------------------------------

  /** True if the next message to actor {@code target} must crash it (and uses up one crash). */
  public boolean takeCrash(String target) {
    List<Fault> faults = faultsOf(FaultTarget.actor(target));
    if (faults == null) {
      return false;
    }
    Instant now = clock.instant();
    for (Fault f : faults) {
      if (f.type() == FaultType.CRASH && f.live(now) && !f.spent() && f.fires() && f.takeCrash()) {
        return true;
      }
    }
    return false;
  }

  /** The end of the hang actor {@code target} is in now, if any. */
  public Optional<Instant> hangUntil(String target) {
    List<Fault> faults = faultsOf(FaultTarget.actor(target));
    if (faults == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Instant until = null;
    for (Fault f : faults) {
      if (f.type() == FaultType.HANG && f.live(now) && (until == null || f.until().isAfter(until))) {
        until = f.until();
      }
    }
    return Optional.ofNullable(until);
  }

  /** How long this message or request to {@code target} must wait first, or -1 for not at all. */
  public long delayMs(FaultTarget target) {
    List<Fault> faults = faultsOf(target);
    if (faults == null) {
      return -1;
    }
    Instant now = clock.instant();
    for (Fault f : faults) {
      if (f.type() == FaultType.LATENCY && f.live(now) && f.fires()) {
        return f.delayMs();
      }
    }
    return -1;
  }

  /** The HTTP status (or, for an actor, bus failure code) this request to {@code target} must fail with, or 0. */
  public int error(FaultTarget target) {
    List<Fault> faults = faultsOf(target);
    if (faults == null) {
      return 0;
    }
    Instant now = clock.instant();
    for (Fault f : faults) {
      if (f.type() == FaultType.ERROR && f.live(now) && f.fires()) {
        return f.spec().status();
      }
    }
    return 0;
  }

  private List<Fault> faultsOf(FaultTarget target) {
    if (live.get() == 0) {
      return null;
    }
    List<Fault> faults = byTarget.get(target);
    return faults == null || faults.isEmpty() ? null : faults;
  }

  // ---- the monkey's victims --------------------------------------------------------------------------

  /** An actor instance that serves now and may be crashed by the monkey. */
  public void enlist(Victim victim) {
    if (enabled) {
      victims.put(victim.actor() + "#" + victim.instance(), victim);
    }
  }

  public void discharge(Victim victim) {
    if (enabled) {
      victims.remove(victim.actor() + "#" + victim.instance(), victim);
    }
  }

  /** The serving instances of the given actors (all actors when empty), in a stable order. */
  public List<Victim> victims(Collection<String> actors) {
    List<Victim> out = new ArrayList<>();
    for (Victim v : victims.values()) {
      if (actors.isEmpty() || actors.contains(v.actor())) {
        out.add(v);
      }
    }
    out.sort(Comparator.comparing(Victim::actor).thenComparingInt(Victim::instance));
    return out;
  }
}
