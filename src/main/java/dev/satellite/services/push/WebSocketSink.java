package dev.satellite.services.push;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/**
 * A subscriber's WebSocket: each message a text frame {@code {"type":"message","id":…,"data":…}}, a reset a frame
 * {@code {"type":"reset",…}}, heartbeats as pings, and a close frame with a reason when the node ends it
 * (1008 {@code slow-consumer}, 1001 {@code shutdown}).
 *
 * <p>Event-loop confined (the connection's loop).
 */
final class WebSocketSink implements Sink {

  private static final Buffer PING = Buffer.buffer("hb");
  private final ServerWebSocket ws;
  private final Runnable drop;

  /** @param drop closes the connection at once (a slow consumer's queue would hold back a close frame) */
  WebSocketSink(ServerWebSocket ws, int buffer, Runnable drop) {
    this.ws = ws;
    this.drop = drop;
    ws.setWriteQueueMaxSize(buffer);
  }

  @Override
  public void open() {
    // the handshake is the head
  }

  @Override
  public void message(EventId id, String stored) {
    ws.writeTextMessage(Messages.frame(id, stored));
  }

  @Override
  public void reset(EventId id, JsonObject payload) {
    ws.writeTextMessage(payload.encode());
  }

  @Override
  public void heartbeat() {
    ws.writePing(PING);
  }

  @Override
  public boolean full() {
    return ws.writeQueueFull();
  }

  @Override
  public void close(String reason) {
    if (ws.isClosed()) {
      return;
    }
    boolean slow = "slow-consumer".equals(reason);
    ws.close(slow ? (short) 1008 : (short) 1001, reason);
    if (slow) {
      drop.run();
    }
  }

  @Override
  public void onEnd(Handler<Void> handler) {
    ws.closeHandler(handler);
  }
}
