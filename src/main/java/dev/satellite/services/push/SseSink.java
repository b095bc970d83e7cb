package dev.satellite.services.push;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * A subscriber's Server-Sent Events stream: each message an event with {@code id: epoch:sequence} and its text as
 * {@code data} (one {@code data:} line per line), a reset as {@code event: reset} with the new position as its id,
 * heartbeats as comment lines, and a closing {@code event: close} saying why the node ended the stream.
 *
 * <p>Event-loop confined (the connection's loop).
 */
final class SseSink implements Sink {

  private final HttpServerResponse response;
  private final Runnable drop;

  /**
   * @param drop ends the stream at once, without waiting for its queue (a slow consumer's queue would hold back the
   *             stream's end): closes an HTTP/1.1 connection, resets an HTTP/2 stream
   */
  SseSink(HttpServerResponse response, int buffer, Runnable drop) {
    this.response = response;
    this.drop = drop;
    response.setWriteQueueMaxSize(buffer);
  }

  @Override
  public void open() {
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no")
        .write("retry: 1000\n\n");
  }

  @Override
  public void message(EventId id, String stored) {
    Buffer b = Buffer.buffer(64 + stored.length());
    b.appendString("id: ").appendString(id.toString()).appendString("\n");
    data(b, Messages.body(stored));
    response.write(b);
  }

  private static void data(Buffer b, String text) {
    int start = 0;
    while (true) {
      int nl = text.indexOf('\n', start);
      String line = nl < 0 ? text.substring(start) : text.substring(start, nl);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      b.appendString("data: ").appendString(line).appendString("\n");
      if (nl < 0) {
        break;
      }
      start = nl + 1;
    }
    b.appendString("\n");
  }

  @Override
  public void reset(EventId id, JsonObject payload) {
    Buffer b = Buffer.buffer().appendString("id: ").appendString(id.toString()).appendString("\nevent: reset\n");
    data(b, payload.encode());
    response.write(b);
  }

  @Override
  public void heartbeat() {
    response.write(": heartbeat\n\n");
  }

  @Override
  public boolean full() {
    return response.writeQueueFull();
  }

  @Override
  public void close(String reason) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (!response.headWritten()) {
      open();
    }
    Buffer b = Buffer.buffer().appendString("event: close\n");
    data(b, new JsonObject().put("reason", reason).encode());
    response.end(b);
    if ("slow-consumer".equals(reason)) {
      drop.run(); // its queue is full: the end above may never reach it
    }
  }

  @Override
  public void onEnd(Handler<Void> handler) {
    boolean[] once = {false};
    Handler<Void> h = v -> {
      if (!once[0]) {
        once[0] = true;
        handler.handle(null);
      }
    };
    response.closeHandler(h);
    response.endHandler(h);
  }
}
