package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push across two clustered nodes started from the jar: messages published on node A reach an SSE and a WebSocket
 * subscriber on node B in publish order; B is killed (SIGKILL) while A keeps publishing, and both subscribers
 * reconnect to A with the last id each got ({@code Last-Event-ID}, {@code ?since=}): each receives every message
 * after it — every acknowledged one among them — with no gap and no duplicate, because the topic's history (a
 * ringbuffer with a synchronous backup) outlived B.
 */
class PushClusterIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();

  @TempDir
  Path dir;

  private final String cluster = "push-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<Thread> readers = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    readers.forEach(Thread::interrupt);
    for (NodeProcess n : nodes) {
      n.close();
    }
  }

  private NodeProcess start(String id) throws Exception {
    NodeProcess node = NodeProcess.startClustered(dir, cluster, id, Map.of());
    nodes.add(node);
    node.awaitReady(Duration.ofSeconds(60));
    return node;
  }

  /** One SSE event as the subscriber read it. */
  private record Event(String id, String type, String data) {
    long sequence() {
      return Long.parseLong(id.substring(id.lastIndexOf(':') + 1));
    }

    String epoch() {
      return id.substring(0, id.lastIndexOf(':'));
    }
  }

  /** Reads an SSE stream on a thread of its own into {@code into} until it ends. */
  private void subscribe(NodeProcess node, String topic, String lastEventId, List<Event> into) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + "/push/" + topic))
        .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<Stream<String>> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    Thread t = new Thread(() -> {
      String id = null;
      String type = "message";
      StringBuilder data = new StringBuilder();
      try (Stream<String> lines = response.body()) {
        for (String line : (Iterable<String>) lines::iterator) {
          if (line.isEmpty()) {
            if (data.length() > 0) {
              into.add(new Event(id, type, data.toString()));
            }
            id = null;
            type = "message";
            data.setLength(0);
          } else if (line.startsWith("id: ")) {
            id = line.substring(4);
          } else if (line.startsWith("event: ")) {
            type = line.substring(7);
          } else if (line.startsWith("data: ")) {
            data.append(line.substring(6));
          }
        }
      } catch (RuntimeException ended) {
        // the node went away
      }
    }, "sse-" + topic);
    t.setDaemon(true);
    t.start();
    readers.add(t);
  }

  /** Opens a WebSocket subscription ({@code ?since=} when given) and adds each frame, as an event, to {@code into}. */
  private static WebSocket webSocket(NodeProcess node, String topic, String since, List<Event> into) throws Exception {
    URI uri = URI.create("ws://127.0.0.1:" + node.httpPort + "/push/" + topic + "/ws"
        + (since == null ? "" : "?since=" + since));
    return HTTP.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
      private final StringBuilder text = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence part, boolean last) {
        text.append(part);
        if (last) {
          JsonObject frame = new JsonObject(text.toString());
          text.setLength(0);
          into.add(new Event(frame.getString("id"), frame.getString("type"), String.valueOf(frame.getValue("data"))));
        }
        ws.request(1);
        return null;
      }
    }).get(10, TimeUnit.SECONDS);
  }

  /** Publishes {@code {"n":n}}; the id when acknowledged (202), else null. */
  private static String publish(NodeProcess node, String topic, int n) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + "/push/" + topic))
          .timeout(Duration.ofSeconds(3)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("n", n).encode())).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 202 ? new JsonObject(r.body()).getString("id") : null;
    } catch (IOException | InterruptedException e) {
      return null;
    }
  }

  private static boolean await(Duration within, BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < until) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  @Test
  void aSubscriberOnAnotherNodeGetsEveryMessageInOrderAndResumesOnASurvivorAfterItsNodeIsKilled() throws Exception {
    NodeProcess a = start("push-a");
    NodeProcess b = start("push-b");
    String topic = "cluster-" + UUID.randomUUID().toString().substring(0, 6);

    List<Event> onB = new CopyOnWriteArrayList<>();
    subscribe(b, topic, null, onB);
    List<Event> wsOnB = new CopyOnWriteArrayList<>();
    webSocket(b, topic, null, wsOnB);
    List<String> acked = new ArrayList<>();
    int n = 0;
    for (; n < 50; n++) {
      String id = publish(a, topic, n);
      assertThat(id).as("publish %d on A", n).isNotNull();
      acked.add(id);
    }
    assertThat(await(Duration.ofSeconds(10), () -> onB.size() >= 50)).as("50 messages on B, got %d", onB.size()).isTrue();
    assertThat(onB).extracting(Event::id).containsExactlyElementsOf(acked);
    assertThat(await(Duration.ofSeconds(10), () -> wsOnB.size() >= 50)).as("50 frames on B, got %d", wsOnB.size()).isTrue();
    assertThat(wsOnB).extracting(Event::id).containsExactlyElementsOf(acked);

    // B dies while A keeps publishing; the subscriber comes back on A with the last id it had
    String last = onB.get(onB.size() - 1).id();
    String lastFrame = wsOnB.get(wsOnB.size() - 1).id();
    b.process().destroyForcibly(); // SIGKILL
    b.process().waitFor(10, TimeUnit.SECONDS);
    for (; n < 100; n++) {
      String id = publish(a, topic, n);
      if (id != null) {
        acked.add(id);
      }
    }
    List<Event> resumed = new CopyOnWriteArrayList<>();
    subscribe(a, topic, last, resumed);
    List<Event> wsResumed = new CopyOnWriteArrayList<>();
    webSocket(a, topic, lastFrame, wsResumed);
    for (; n < 120; n++) {
      String id = publish(a, topic, n);
      if (id != null) {
        acked.add(id);
      }
    }
    String newest = acked.get(acked.size() - 1);
    assertThat(await(Duration.ofSeconds(15), () -> resumed.stream().anyMatch(e -> e.id().equals(newest))))
        .as("resumed subscriber reached %s; has %d events", newest, resumed.size()).isTrue();

    assertThat(await(Duration.ofSeconds(15), () -> wsResumed.stream().anyMatch(e -> e.id().equals(newest))))
        .as("resumed WebSocket reached %s; has %d frames", newest, wsResumed.size()).isTrue();

    for (List<Event> before : List.of(onB, wsOnB)) {
      List<Event> all = new ArrayList<>(before);
      all.addAll(before == onB ? resumed : wsResumed);
      assertThat(all).extracting(Event::type).containsOnly("message"); // no reset: nothing fell out of history
      assertThat(all).extracting(Event::epoch).containsOnly(all.get(0).epoch());
      for (int i = 0; i < all.size(); i++) {
        assertThat(all.get(i).sequence()).as("event %d", i).isEqualTo(i); // no gap, no duplicate, in order
      }
      assertThat(all).extracting(Event::id).containsAll(acked);
    }
    assertThat(acked.size()).isGreaterThanOrEqualTo(100); // most publishes were acknowledged through B's loss
  }
}
