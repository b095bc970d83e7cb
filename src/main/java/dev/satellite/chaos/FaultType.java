package dev.satellite.chaos;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The kinds of fault a node can be given, what each may aim at, and whether it decides per message or request. */
public enum FaultType {
  /** The next {@code count} messages to an actor throw inside its handler: the instance crashes and is replaced. */
  CRASH(EnumSet.of(FaultTarget.Kind.ACTOR), true),
  /** An actor's instances stop answering messages and liveness pings, without blocking their event loops. */
  HANG(EnumSet.of(FaultTarget.Kind.ACTOR), false),
  /** Messages or requests wait {@code delayMs} (plus up to {@code jitterMs}) on a timer before going on. */
  LATENCY(EnumSet.of(FaultTarget.Kind.ACTOR, FaultTarget.Kind.ROUTE, FaultTarget.Kind.UPSTREAM), true),
  /** Requests are answered with an HTTP {@code status} (route, upstream), or messages failed with a bus {@code code}. */
  ERROR(EnumSet.of(FaultTarget.Kind.ACTOR, FaultTarget.Kind.ROUTE, FaultTarget.Kind.UPSTREAM), true),
  /** The process halts after {@code delayMs}, as a {@code kill -9} from inside would: no drain, no shutdown hooks. */
  EXIT(EnumSet.of(FaultTarget.Kind.NODE), false),
  /** One event loop is blocked for {@code durationMs}: what the loop watchdog and liveness exist to find. */
  BLOCK_EVENT_LOOP(EnumSet.of(FaultTarget.Kind.NODE), false),
  /** A {@code fraction} of the maximum heap is held until the fault ends. */
  MEMORY_PRESSURE(EnumSet.of(FaultTarget.Kind.NODE), false),
  /** {@code threads} threads of the node's own spin on the CPU until the fault ends. */
  CPU_BURN(EnumSet.of(FaultTarget.Kind.NODE), false);

  private final Set<FaultTarget.Kind> targets;
  private final boolean perEvent;

  FaultType(Set<FaultTarget.Kind> targets, boolean perEvent) {
    this.targets = targets;
    this.perEvent = perEvent;
  }

  /** What this kind of fault may aim at. */
  public Set<FaultTarget.Kind> targets() {
    return targets;
  }

  /** Whether it decides once per message or request (and so takes a {@code probability}). */
  public boolean perEvent() {
    return perEvent;
  }

  /** {@code crash}, {@code block-event-loop} … as in the API. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static FaultType of(String label) {
    for (FaultType t : values()) {
      if (t.label().equals(label)) {
        return t;
      }
    }
    return null;
  }
}
