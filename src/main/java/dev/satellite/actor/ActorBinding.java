package dev.satellite.actor;

import dev.satellite.chaos.FaultRegistry;
import dev.satellite.cluster.BusRouter;
import dev.satellite.cluster.NodeAddresses;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;

/**
 * What a supervisor hands an actor instance before deploying it: who it is, where it listens, where it
 * reports crashes, and its limits. Immutable.
 *
 * @param id         the child id (faults and metrics are keyed by it)
 * @param address    the event-bus address the instance listens on, its channel
 * @param instance   which of the child's instances this is (0-based)
 * @param generation a number that changes with every fresh object put in this instance slot
 * @param nodeId     the node the instance runs on
 * @param mailbox    messages held at once (accepted, not yet completed) before more are refused
 * @param settings   the child's free-form settings
 * @param link       where crashes are reported
 * @param faults     injected faults (chaos), {@link FaultRegistry#DISABLED} when off
 * @param clock      the time source (deadlines, hangs)
 * @param meters     the actor's refusal counters
 * @param bus        how requests to other actors leave the node; null for the plain event bus
 * @param stopTimeout how long a stopping instance waits for the messages it is working on
 */
public record ActorBinding(
    String id,
    String address,
    int instance,
    long generation,
    String nodeId,
    int mailbox,
    JsonObject settings,
    ActorLink link,
    FaultRegistry faults,
    Clock clock,
    ActorMeters meters,
    BusRouter bus,
    Duration stopTimeout) {

  /** The private, node-local address the supervisor pings this instance on. */
  public String pingAddress() {
    return "satellite.ping." + id + "." + instance + "." + generation;
  }

  /**
   * The private, node-local address of this instance alone: requests made on the instance's own event loop
   * come here (see {@code LocalInstances}), so they need no hand-off to another thread.
   */
  public String instanceAddress() {
    return "satellite.instance." + id + "." + instance + "." + generation;
  }

  /** The address that reaches this actor on this node only (cluster routing targets one node with it). */
  public String nodeAddress() {
    return NodeAddresses.onNode(address, nodeId);
  }

  /** A binding for an actor deployed on its own, without a supervisor (tests, tools). */
  public static ActorBinding standalone(String id, String address, String nodeId) {
    return new ActorBinding(id, address, 0, 1, nodeId, 1024, new JsonObject(), ActorLink.NONE, FaultRegistry.DISABLED,
        Clock.systemUTC(), ActorMeters.detached(id), null, Duration.ofSeconds(5));
  }
}
