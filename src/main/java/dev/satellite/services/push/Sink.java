package dev.satellite.services.push;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

/**
 * Where a subscriber's events go: an SSE response or a WebSocket. Every method is called on the connection's
 * context.
 *
 * <p>Event-loop confined (the connection's loop).
 */
interface Sink {

  /** Sends the head of the stream (once the subscriber knows where it starts). */
  void open();

  void message(EventId id, String stored);

  /** A reset: {@code payload} says why, and {@code id} is where the stream now stands. */
  void reset(EventId id, JsonObject payload);

  void heartbeat();

  /** Whether more than {@code push.subscriberBuffer} bytes wait to be written. */
  boolean full();

  /** Closes the stream, telling the client {@code reason} where the protocol has a way. */
  void close(String reason);

  /** Called once when the stream ends, whoever ended it. */
  void onEnd(Handler<Void> handler);
}
