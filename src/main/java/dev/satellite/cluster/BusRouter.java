package dev.satellite.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * How requests to actor addresses leave a node. On a single node it is the event bus itself; on a
 * cluster the {@link ClusterRouter} picks the node, skipping nodes that stopped answering, before the
 * membership layer has removed them.
 *
 * <p>Thread-safe.
 */
public interface BusRouter {

  <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options);

  /** Fire-and-forget: no reply, no failure report. */
  void send(String address, Object body, DeliveryOptions options);

  /** Whether requests target one node's copy of an actor, so actors must also listen on their node address. */
  default boolean routesByNode() {
    return false;
  }

  /** The plain event bus: Vert.x chooses among the address's handlers. */
  static BusRouter local(Vertx vertx) {
    return new BusRouter() {
      @Override
      public <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options) {
        return vertx.eventBus().request(address, body, options);
      }

      @Override
      public void send(String address, Object body, DeliveryOptions options) {
        vertx.eventBus().send(address, body, options);
      }
    };
  }
}
