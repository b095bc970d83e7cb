package dev.satellite.supervision;

import dev.satellite.actor.Actor;
import dev.satellite.chaos.FaultRegistry;
import dev.satellite.cluster.BusRouter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * What every supervisor of a node shares: the clock and randomness its decisions read, how to create an
 * actor from its type name, the fault registry actors consult, where events and snapshots go, and what
 * to do when the root gives up. Immutable; its parts are thread-safe.
 *
 * @param nodeId  the node's id, put in events
 * @param clock   time for intensity, backoff and timestamps
 * @param random  randomness for backoff jitter, in [0, 1)
 * @param actors  creates a fresh actor object from a type name (an unknown name throws)
 * @param faults  injected faults (chaos), {@link FaultRegistry#DISABLED} when off
 * @param events  where typed events go
 * @param tree    where snapshots go
 * @param exit    called when the root supervisor gives up
 * @param registry where actors count what they refuse
 * @param bus     how actors' requests leave the node (cluster routing, or the plain bus)
 */
public record Supervision(
    String nodeId,
    Clock clock,
    DoubleSupplier random,
    Function<String, Actor<?>> actors,
    FaultRegistry faults,
    SupervisionEvents events,
    SupervisionTree tree,
    CrashExit exit,
    MeterRegistry registry,
    BusRouter bus) {
}
