package dev.satellite.actor;

import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The counters of one actor (shared by its instances): messages refused without being worked on — the mailbox
 * was full, their deadline had passed, their body could not be read as the actor's type — and replies that did
 * not come before the deadline (the caller was told {@code DEADLINE} and the mailbox slot given back). An actor
 * registers meters of its own in {@link #registry()}, the node's.
 *
 * <p>Thread-safe.
 */
public record ActorMeters(Counter mailboxFull, Counter deadlinePassed, Counter badMessage, Counter expired,
    MeterRegistry registry) {

  public static ActorMeters of(MeterRegistry registry, String actor) {
    return new ActorMeters(refused(registry, actor, "mailbox_full"), refused(registry, actor, "deadline"),
        refused(registry, actor, "bad_message"),
        Counter.builder(MetricNames.ACTOR_EXPIRED)
            .description("Replies an actor had not sent when the message's deadline passed (the caller was told so)")
            .tags("actor", actor)
            .register(registry),
        registry);
  }

  /** Counters that count into a registry nobody reads (actors deployed without a node, in tests and tools). */
  public static ActorMeters detached(String actor) {
    return of(new SimpleMeterRegistry(), actor);
  }

  private static Counter refused(MeterRegistry registry, String actor, String reason) {
    return Counter.builder(MetricNames.ACTOR_REFUSED)
        .description("Messages an actor refused without working on them")
        .tags("actor", actor, "reason", reason)
        .register(registry);
  }
}
