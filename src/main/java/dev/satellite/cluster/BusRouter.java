package dev.satellite.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * How requests to actor addresses leave a node. On a single node it is the event bus itself, preferring an
 * instance on the caller's own event loop ({@link LocalInstances}); on a cluster the {@link ClusterRouter}
 * picks the node, skipping nodes that stopped answering, before the membership layer has removed them.
 *
 * <p>Thread-safe.
 */
public interface BusRouter {

  <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options);

  /**
   * A request with no preference for the caller's own loop: the bus (on a cluster, the chosen node's) picks
   * among the address's instances. For retries, which should not go back to the instance that just refused.
   */
  default <T> Future<Message<T>> requestAnyInstance(String address, Object body, DeliveryOptions options) {
    return request(address, body, options);
  }

  /** Fire-and-forget: no reply, no failure report. */
  void send(String address, Object body, DeliveryOptions options);

  /** Whether requests target one node's copy of an actor, so actors must also listen on their node address. */
  default boolean routesByNode() {
    return false;
  }

  /** Where this node's actor instances announce the loop they run on. */
  default LocalInstances instances() {
    return LocalInstances.NONE;
  }

  /**
   * Whether {@code t} is how Vert.x answers a request it discarded — queued for a consumer that was unregistered
   * before it took it, as a crashed actor instance's are: a {@code TIMEOUT} after {@code waitedMs}, under half the
   * request's {@code sendTimeoutMs}. A real timeout comes at the send timeout, never before; a discard comes at once.
   * Nothing was worked on: the recipient was gone, not slow.
   */
  static boolean discarded(Throwable t, long waitedMs, long sendTimeoutMs) {
    return t instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT && waitedMs < sendTimeoutMs / 2;
  }

  /** The plain event bus, with no preference for instances on the caller's loop. */
  static BusRouter local(Vertx vertx) {
    return local(vertx, LocalInstances.NONE);
  }

  /**
   * The plain event bus: a request goes to an instance on the caller's event loop when there is one, else
   * Vert.x chooses among the address's handlers.
   */
  static BusRouter local(Vertx vertx, LocalInstances instances) {
    return new BusRouter() {
      @Override
      public <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options) {
        String mine = instances.onThisThread(address);
        return vertx.eventBus().request(mine != null ? mine : address, body, options);
      }

      @Override
      public <T> Future<Message<T>> requestAnyInstance(String address, Object body, DeliveryOptions options) {
        return vertx.eventBus().request(address, body, options);
      }

      @Override
      public void send(String address, Object body, DeliveryOptions options) {
        String mine = instances.onThisThread(address);
        vertx.eventBus().send(mine != null ? mine : address, body, options);
      }

      @Override
      public LocalInstances instances() {
        return instances;
      }
    };
  }
}
