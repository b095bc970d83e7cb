package dev.satellite.services.push;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A test client of one Server-Sent Events stream: collects its events (not its comments) as they arrive.
 *
 * <p>It speaks HTTP/1.1 on a plain socket whose handler is in place before the request is written, so no byte of
 * the answer can arrive before something reads it. (With an HTTP client, the body handler is set in a callback of
 * the response's head; a replay that arrives in the same read as the head can reach the response before that.)
 */
final class SseClient implements AutoCloseable {

  /** One event: its id (or null), type ({@code message} unless named) and data lines joined by newlines. */
  record Event(String id, String type, String data) {
  }

  final List<Event> events = new CopyOnWriteArrayList<>();
  volatile int status;
  volatile boolean ended;
  /** Comment lines (heartbeats) seen. */
  volatile int comments;
  private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
  private final NetClient client;
  private final CompletableFuture<Void> head = new CompletableFuture<>();
  /** Bytes received and not yet understood: the head, then the chunked body's framing. */
  private Buffer raw = Buffer.buffer();
  private boolean inBody;
  private final StringBuilder pending = new StringBuilder();

  private SseClient(NetClient client) {
    this.client = client;
  }

  /** Opens {@code path}; returns once the head arrived (the subscription stands then). */
  static SseClient open(Vertx vertx, int port, String path, MultiMap headers) throws Exception {
    SseClient c = new SseClient(vertx.createNetClient());
    NetSocket socket = c.client.connect(port, "127.0.0.1").toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    socket.handler(c::received);
    socket.closeHandler(v -> {
      c.ended = true;
      c.head.complete(null);
    });
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nAccept: text/event-stream\r\n");
    headers.forEach(h -> request.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
    socket.write(request.append("\r\n").toString());
    c.head.get(10, TimeUnit.SECONDS);
    return c;
  }

  String header(String name) {
    return headers.get(name);
  }

  private synchronized void received(Buffer bytes) {
    raw.appendBuffer(bytes);
    if (!inBody) {
      String text = raw.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end < 0) {
        return;
      }
      String[] lines = text.substring(0, end).split("\r\n");
      status = Integer.parseInt(lines[0].split(" ")[1]);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.add(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
      }
      raw = raw.getBuffer(end + 4, raw.length());
      inBody = true;
      head.complete(null);
    }
    // the stream's body is chunked: <size in hex>\r\n<bytes>\r\n ..., a size of 0 ends it
    while (true) {
      String text = raw.toString(StandardCharsets.ISO_8859_1);
      int eol = text.indexOf("\r\n");
      if (eol < 0) {
        return;
      }
      int size = Integer.parseInt(text.substring(0, eol).split(";")[0].trim(), 16);
      if (size == 0) {
        ended = true;
        return;
      }
      if (raw.length() < eol + 2 + size + 2) {
        return;
      }
      feed(raw.getBuffer(eol + 2, eol + 2 + size).toString(StandardCharsets.UTF_8));
      raw = raw.getBuffer(eol + 2 + size + 2, raw.length());
    }
  }

  private void feed(String text) {
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      String id = null;
      String type = "message";
      List<String> data = new ArrayList<>();
      for (String line : block.split("\n")) {
        if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.add(line.substring(6));
        } else if (line.startsWith(":")) {
          comments++;
        }
      }
      if (!data.isEmpty()) {
        events.add(new Event(id, type, String.join("\n", data)));
      }
    }
  }

  /** Waits (at most 10 s, polling) until {@code condition} holds; false if it never did. */
  static boolean await(BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(5);
    }
    return condition.getAsBoolean();
  }

  List<Event> awaitEvents(int n) throws InterruptedException {
    await(() -> events.size() >= n);
    return List.copyOf(events);
  }

  @Override
  public void close() {
    client.close();
  }
}
