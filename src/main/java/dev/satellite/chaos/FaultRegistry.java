package dev.satellite.chaos;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults currently injected into this node, in memory only. Actors consult it on every message; with
 * chaos off the node uses {@link #DISABLED}, whose checks cost one field read.
 *
 * <p>Thread-safe.
 */
public final class FaultRegistry {

  /** A registry that holds nothing and accepts nothing: chaos is off. */
  public static final FaultRegistry DISABLED = new FaultRegistry(Clock.systemUTC(), false);

  /** How long a crash fault lives when its count is not used up. */
  public static final Duration CRASH_FAULT_TTL = Duration.ofMinutes(10);

  private final Clock clock;
  private final boolean enabled;
  private final Map<String, List<Fault>> byTarget = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile boolean empty = true;

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

  /** Makes the next {@code count} messages to {@code target} throw. */
  public Fault crash(String target, int count) {
    Instant now = clock.instant();
    return add(new Fault(nextId(), Fault.Type.CRASH, target, count, now, now.plus(CRASH_FAULT_TTL)));
  }

  /** Makes {@code target} stop answering for {@code duration}. */
  public Fault hang(String target, Duration duration) {
    Instant now = clock.instant();
    return add(new Fault(nextId(), Fault.Type.HANG, target, 0, now, now.plus(duration)));
  }

  private String nextId() {
    return "f" + ids.incrementAndGet();
  }

  private Fault add(Fault fault) {
    if (!enabled) {
      throw new IllegalStateException("chaos is disabled");
    }
    byTarget.computeIfAbsent(fault.target(), t -> new CopyOnWriteArrayList<>()).add(fault);
    empty = false;
    return fault;
  }

  public boolean remove(String id) {
    boolean removed = false;
    for (List<Fault> faults : byTarget.values()) {
      removed |= faults.removeIf(f -> f.id().equals(id));
    }
    return removed;
  }

  /** The active faults, oldest first; expired and spent ones are dropped on the way. */
  public List<Fault> active() {
    Instant now = clock.instant();
    List<Fault> out = new ArrayList<>();
    for (List<Fault> faults : byTarget.values()) {
      faults.removeIf(f -> f.spent() || !now.isBefore(f.until()));
      out.addAll(faults);
    }
    out.sort(Comparator.comparing(f -> Long.parseLong(f.id().substring(1))));
    return out;
  }

  /** True if the next message to {@code target} must crash the actor (and uses up one crash). */
  public boolean takeCrash(String target) {
    if (empty) {
      return false;
    }
    List<Fault> faults = byTarget.get(target);
    if (faults == null) {
      return false;
    }
    Instant now = clock.instant();
    for (Fault f : faults) {
      if (f.type() == Fault.Type.CRASH && now.isBefore(f.until()) && f.takeCrash()) {
        return true;
      }
    }
    return false;
  }

  /** The end of the hang {@code target} is in now, if any. */
  public Optional<Instant> hangUntil(String target) {
    if (empty) {
      return Optional.empty();
    }
    List<Fault> faults = byTarget.get(target);
    if (faults == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Instant until = null;
    for (Fault f : faults) {
      if (f.type() == Fault.Type.HANG && now.isBefore(f.until()) && (until == null || f.until().isAfter(until))) {
        until = f.until();
      }
    }
    return Optional.ofNullable(until);
  }
}
