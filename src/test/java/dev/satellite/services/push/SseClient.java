package dev.satellite.services.push;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A test client of one Server-Sent Events stream: collects its events (not its comments) as they arrive. */
final class SseClient implements AutoCloseable {

  /** One event: its id (or null), type ({@code message} unless named) and data lines joined by newlines. */
  record Event(String id, String type, String data) {
  }

  final List<Event> events = new CopyOnWriteArrayList<>();
  volatile HttpClientResponse response;
  volatile boolean ended;
  /** Comment lines (heartbeats) seen. */
  volatile int comments;
  private final HttpClient client;
  private final StringBuilder pending = new StringBuilder();

  private SseClient(HttpClient client) {
    this.client = client;
  }

  /** Opens {@code path}; completes once the head arrived (the subscription stands then). */
  static SseClient open(Vertx vertx, int port, String path, MultiMap headers) throws Exception {
    HttpClient client = vertx.createHttpClient();
    SseClient c = new SseClient(client);
    Future<HttpClientResponse> f = client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(port).setURI(path).setHeaders(headers.add("Accept", "text/event-stream"))).compose(r -> r.send())
        .map(response -> { // on the connection's loop, before any of the body can be missed
          response.handler(b -> c.feed(b.toString()));
          response.endHandler(v -> c.ended = true);
          response.exceptionHandler(t -> c.ended = true);
          return response;
        });
    c.response = f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return c;
  }

  private synchronized void feed(String text) {
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      String id = null;
      String type = "message";
      List<String> data = new ArrayList<>();
      boolean any = false;
      for (String line : block.split("\n")) {
        if (line.startsWith("id: ")) {
          id = line.substring(4);
          any = true;
        } else if (line.startsWith("event: ")) {
          type = line.substring(7);
          any = true;
        } else if (line.startsWith("data: ")) {
          data.add(line.substring(6));
          any = true;
        } else if (line.startsWith(":")) {
          comments++;
        }
      }
      if (any && !data.isEmpty()) {
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
