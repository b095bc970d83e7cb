package dev.satellite.actor;

import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The counters of one actor (shared by its instances): messages refused because the mailbox was full,
 * because their deadline had passed, or because their body had the wrong type.
 *
 * <p>Thread-safe.
 */
public record ActorMeters(Counter mailboxFull, Counter deadlinePassed, Counter badMessage) {

  public static ActorMeters of(MeterRegistry registry, String actor) {
    return new ActorMeters(refused(registry, actor, "mailbox_full"), refused(registry, actor, "deadline"),
        refused(registry, actor, "bad_message"));
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
