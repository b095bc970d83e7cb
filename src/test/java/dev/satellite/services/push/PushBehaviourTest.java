package dev.satellite.services.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.NodeHarness;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Publish, subscribe (SSE and WebSocket), resume, reset, slow consumers and limits on one standalone node. */
@ExtendWith(VertxExtension.class)
@Timeout(30_000)
class PushBehaviourTest {

  private NodeHarness node;
  private WebClient web;
  private final List<AutoCloseable> streams = new ArrayList<>();

  private void start(Vertx vertx, String... sets) throws Exception {
    node = NodeHarness.start(vertx, sets);
    web = WebClient.create(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable s : streams) {
      s.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private int port() {
    return node.node.config().http().port();
  }

  private HttpResponse<Buffer> publish(String topic, String contentType, String body) throws Exception {
    return NodeHarness.await(web.post(port(), "127.0.0.1", "/push/" + topic).putHeader("Content-Type", contentType)
        .sendBuffer(Buffer.buffer(body)));
  }

  /** Publishes {@code {"n":i}} for i in [from, to) and returns their ids. */
  private List<String> publishRange(String topic, int from, int to) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = from; i < to; i++) {
      HttpResponse<Buffer> r = publish(topic, "application/json", new JsonObject().put("n", i).encode());
      assertThat(r.statusCode()).isEqualTo(202);
      ids.add(r.bodyAsJsonObject().getString("id"));
    }
    return ids;
  }

  private SseClient subscribe(Vertx vertx, String path, String lastEventId) throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (lastEventId != null) {
      headers.add("Last-Event-ID", lastEventId);
    }
    SseClient c = SseClient.open(vertx, port(), path, headers);
    streams.add(c);
    assertThat(c.status).isEqualTo(200);
    assertThat(c.header("Content-Type")).startsWith("text/event-stream");
    return c;
  }

  /**
   * With two subscribers of {@code topic} open, one of which never reads: publishes 60 KB messages until the node
   * closes one as a slow consumer (at most 1,500); how many it published.
   */
  private int publishUntilOneIsSlow(String topic) throws Exception {
    assertThat(SseClient.await(() -> node.node.registry().find("satellite_push_subscribers").gauge().value() == 2)).isTrue();
    String pad = "x".repeat(60_000);
    int sent = 0;
    while (counter("satellite_push_disconnects", "slow-consumer") == 0 && sent < 1500) {
      assertThat(publish(topic, "application/json", new JsonObject().put("n", sent).put("pad", pad).encode())
          .statusCode()).isEqualTo(202);
      sent++;
    }
    assertThat(counter("satellite_push_disconnects", "slow-consumer")).isEqualTo(1);
    return sent;
  }

  private static List<Integer> numbers(List<SseClient.Event> events) {
    return events.stream().filter(e -> e.type().equals("message")).map(e -> new JsonObject(e.data()).getInteger("n")).toList();
  }

  private double counter(String name, String reason) {
    Counter c = node.node.registry().find(name).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void publishAnswers202WithTheIdAndEverySseSubscriberGetsTheMessagesInOrder(Vertx vertx) throws Exception {
    start(vertx);
    SseClient a = subscribe(vertx, "/push/news", null);
    SseClient b = subscribe(vertx, "/push/news", null);
    HttpResponse<Buffer> first = publish("news", "application/json", "{\"n\":0}");
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(first.bodyAsJsonObject().getString("topic")).isEqualTo("news");
    String id = first.bodyAsJsonObject().getString("id");
    assertThat(EventId.parse(id)).isNotNull();
    assertThat(EventId.parse(id).sequence()).isZero();
    List<String> ids = new ArrayList<>(List.of(id));
    ids.addAll(publishRange("news", 1, 20));
    for (SseClient c : List.of(a, b)) {
      List<SseClient.Event> got = c.awaitEvents(20);
      assertThat(numbers(got)).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).boxed().toList());
      assertThat(got.stream().map(SseClient.Event::id).toList()).containsExactlyElementsOf(ids);
    }
    // text keeps its lines: one data line each
    assertThat(publish("news", "text/plain", "line one\nline two").statusCode()).isEqualTo(202);
    assertThat(a.awaitEvents(21).get(20).data()).isEqualTo("line one\nline two");
  }

  @Test
  void resumingWithLastEventIdReplaysExactlyTheMissedMessagesThenLiveOnes(Vertx vertx) throws Exception {
    start(vertx);
    List<String> ids = publishRange("orders", 0, 10);
    SseClient c = subscribe(vertx, "/push/orders", ids.get(3));
    publishRange("orders", 10, 15);
    List<SseClient.Event> got = c.awaitEvents(11);
    assertThat(numbers(got)).containsExactly(4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
    assertThat(got.get(0).id()).isEqualTo(ids.get(4));
    // ?since= does the same; the newest id replays nothing
    SseClient d = subscribe(vertx, "/push/orders?since=" + got.get(got.size() - 1).id(), null);
    publishRange("orders", 15, 16);
    assertThat(numbers(d.awaitEvents(1))).containsExactly(15);
    assertThat(counter("satellite_push_resets", "history-exceeded")).isZero();
    assertThat(node.node.registry().find("satellite_push_replayed").counter().count()).isEqualTo(6); // 4..9
  }

  @Test
  void anIdOutOfHistoryOrOfAnotherEpochGetsAResetEventFirstNeverASilentSkip(Vertx vertx) throws Exception {
    start(vertx, "push.historySize=5");
    List<String> ids = publishRange("t", 0, 10); // 0..4 fell out
    SseClient c = subscribe(vertx, "/push/t", ids.get(1));
    List<SseClient.Event> got = c.awaitEvents(6);
    assertThat(got.get(0).type()).isEqualTo("reset");
    JsonObject reset = new JsonObject(got.get(0).data());
    assertThat(reset.getString("reason")).isEqualTo("history-exceeded");
    assertThat(reset.getBoolean("recovered")).isFalse();
    assertThat(reset.getString("since")).isEqualTo(ids.get(1));
    assertThat(numbers(got)).containsExactly(5, 6, 7, 8, 9);
    // reconnecting with the reset's id replays what followed it, nothing twice
    SseClient again = subscribe(vertx, "/push/t", got.get(0).id());
    assertThat(numbers(again.awaitEvents(5))).containsExactly(5, 6, 7, 8, 9);

    String epoch = EventId.parse(ids.get(0)).epoch();
    SseClient other = subscribe(vertx, "/push/t", (epoch.equals("zzz") ? "yyy" : "zzz") + ":3");
    List<SseClient.Event> fromOther = other.awaitEvents(6);
    assertThat(fromOther.get(0).type()).isEqualTo("reset");
    assertThat(new JsonObject(fromOther.get(0).data()).getString("reason")).isEqualTo("epoch-changed");
    assertThat(numbers(fromOther)).containsExactly(5, 6, 7, 8, 9);
    assertThat(fromOther.stream().filter(e -> e.type().equals("reset")).count()).isEqualTo(1);
    assertThat(counter("satellite_push_resets", "history-exceeded")).isEqualTo(1);
    assertThat(counter("satellite_push_resets", "epoch-changed")).isEqualTo(1);
  }

  @Test
  void aWebSocketSubscriberGetsMessagesAsJsonFramesAndResumesWithSince(Vertx vertx) throws Exception {
    start(vertx);
    List<String> ids = publishRange("ws", 0, 3);
    WebSocketClient client = vertx.createWebSocketClient();
    streams.add(() -> client.close());
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    // the handler is in place before the connection exists: the replay follows the handshake at once
    ClientWebSocket ws = client.webSocket().textMessageHandler(t -> frames.add(new JsonObject(t)));
    NodeHarness.await(ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port())
        .setURI("/push/ws/ws?since=" + ids.get(0))));
    publishRange("ws", 3, 5);
    assertThat(SseClient.await(() -> frames.size() >= 4)).isTrue();
    assertThat(frames).extracting(f -> f.getJsonObject("data").getInteger("n")).containsExactly(1, 2, 3, 4);
    assertThat(frames).extracting(f -> f.getString("type")).containsOnly("message");
    assertThat(frames.get(0).getString("id")).isEqualTo(ids.get(1));
    assertThat(publish("ws", "text/plain", "hi").statusCode()).isEqualTo(202);
    assertThat(SseClient.await(() -> frames.size() >= 5)).isTrue();
    assertThat(frames.get(4).getString("data")).isEqualTo("hi");
    NodeHarness.await(ws.close());
  }

  @Test
  void aSlowConsumerIsClosedAndCountedWhileTheOthersKeepReceivingEverything(Vertx vertx) throws Exception {
    start(vertx, "push.subscriberBuffer=16384", "push.historySize=2000");
    SseClient fast = subscribe(vertx, "/push/load", null);
    try (Socket slow = new Socket("127.0.0.1", port())) {
      slow.setReceiveBufferSize(4096);
      OutputStream out = slow.getOutputStream();
      out.write(("GET /push/load HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush(); // and never read
      int sent = publishUntilOneIsSlow("load");
      int total = sent;
      assertThat(SseClient.await(() -> fast.events.size() >= total)).isTrue();
      assertThat(numbers(fast.events)).containsExactlyElementsOf(java.util.stream.IntStream.range(0, total).boxed().toList());
      assertThat(fast.ended).isFalse();
      assertThat(SseClient.await(() -> node.node.registry().find("satellite_push_subscribers").gauge().value() == 1)).isTrue();
    }
  }

  /** With h2c, one connection may carry many clients' streams (a proxy in front): a slow one costs only itself. */
  @Test
  void onHttp2ASlowStreamIsResetAloneAndItsNeighbourOnTheSameConnectionKeepsEverything(Vertx vertx) throws Exception {
    start(vertx, "http.h2c=true", "push.subscriberBuffer=16384", "push.historySize=2000");
    HttpClient h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setHttp2ConnectionWindowSize(64 * 1024 * 1024), new PoolOptions().setHttp2MaxSize(1));
    streams.add(() -> h2.close());
    RequestOptions get = new RequestOptions().setHost("127.0.0.1").setPort(port()).setURI("/push/h2")
        .addHeader("Accept", "text/event-stream");
    AtomicInteger fastEvents = new AtomicInteger();
    AtomicBoolean fastEnded = new AtomicBoolean();
    AtomicReference<Throwable> slowFailed = new AtomicReference<>();
    // the fast stream counts what it reads (the handler is set with the head: nothing is published before both are up)
    HttpClientResponse fast = NodeHarness.await(h2.request(get).compose(r -> r.send()).map(r -> {
      StringBuilder text = new StringBuilder();
      r.handler(b -> {
        text.append(b.toString());
        int at;
        while ((at = text.indexOf("\n\n")) >= 0) {
          if (text.substring(0, at).contains("\ndata: ") || text.indexOf("id: ") == 0) {
            fastEvents.incrementAndGet();
          }
          text.delete(0, at + 2);
        }
      });
      r.endHandler(v -> fastEnded.set(true));
      r.exceptionHandler(t -> fastEnded.set(true));
      return r;
    }));
    HttpClientResponse slow = NodeHarness.await(h2.request(get).compose(r -> r.send()).map(r -> {
      r.pause(); // and never read: its stream's flow-control window closes, the node's queue for it fills
      r.exceptionHandler(slowFailed::set);
      return r;
    }));
    assertThat(fast.request().connection()).isSameAs(slow.request().connection());
    int sent = publishUntilOneIsSlow("h2");
    assertThat(SseClient.await(() -> slowFailed.get() != null)).as("the slow stream ended").isTrue();
    int total = sent;
    assertThat(SseClient.await(() -> fastEvents.get() >= total)).as("%d of %d", fastEvents.get(), total).isTrue();
    assertThat(fastEnded.get()).isFalse();
    assertThat(SseClient.await(() -> node.node.registry().find("satellite_push_subscribers").gauge().value() == 1)).isTrue();
    HttpClientResponse hello = NodeHarness.await(h2.request(new RequestOptions(get).setURI("/hello")).compose(r -> r.send()));
    assertThat(hello.statusCode()).isEqualTo(200);
    assertThat(hello.request().connection()).as("the same connection, still open").isSameAs(fast.request().connection());
  }

  @Test
  void badTopicsIdsSizesPlainGetsOfTheWebSocketAndTooManySubscribersAreProblems(Vertx vertx) throws Exception {
    start(vertx, "push.maxMessageSize=100", "push.maxSubscribers=2");
    HttpResponse<Buffer> badTopic = publish("no%20spaces", "text/plain", "x");
    node.assertProblem(badTopic, 400);
    assertThat(badTopic.bodyAsJsonObject().getString("detail")).contains("'topic'");
    node.assertProblem(publish("t", "text/plain", "x".repeat(101)), 413);
    HttpResponse<Buffer> badId = node.call(io.vertx.core.http.HttpMethod.GET, false, "/push/t",
        r -> r.putHeader("Last-Event-ID", "nonsense"));
    node.assertProblem(badId, 400);
    assertThat(badId.bodyAsJsonObject().getString("detail")).contains("Last-Event-ID");
    node.assertProblem(node.get("/push/bad%20topic"), 400);
    HttpResponse<Buffer> notAHandshake = node.get("/push/t/ws"); // and it takes no subscriber slot
    node.assertProblem(notAHandshake, 426);
    assertThat(notAHandshake.getHeader("Upgrade")).isEqualTo("websocket");
    assertThat(notAHandshake.bodyAsJsonObject().getString("detail")).contains("Upgrade: websocket");
    subscribe(vertx, "/push/t", null);
    subscribe(vertx, "/push/t", null);
    HttpResponse<Buffer> third = node.get("/push/t");
    node.assertProblem(third, 503);
    assertThat(third.getHeader("Retry-After")).isNotNull();
  }

  @Test
  void streamsTakeNoInFlightSlotAndOutliveTheRouteTimeout(Vertx vertx) throws Exception {
    start(vertx, "edge.maxInFlight=2", "http.requestTimeout=100ms");
    List<SseClient> open = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      open.add(subscribe(vertx, "/push/long", null));
    }
    assertThat(node.get("/hello").statusCode()).isEqualTo(200); // four streams, and the node is not "full"
    long waited = System.nanoTime();
    assertThat(SseClient.await(() -> System.nanoTime() - waited > TimeUnit.MILLISECONDS.toNanos(300))).isTrue();
    publishRange("long", 0, 1);
    for (SseClient c : open) {
      assertThat(numbers(c.awaitEvents(1))).containsExactly(0);
      assertThat(c.ended).isFalse();
    }
  }

  @Test
  void idleStreamsGetHeartbeatsAndAShutdownClosesThemAtOnceSayingWhy(Vertx vertx) throws Exception {
    start(vertx, "push.heartbeat=100ms");
    SseClient c = subscribe(vertx, "/push/quiet", null);
    assertThat(SseClient.await(() -> c.comments >= 2)).isTrue();
    NodeHarness stopping = node;
    node = null;
    stopping.close(); // a stream does not hold the drain: it is closed with a reason the client can read
    assertThat(SseClient.await(() -> c.ended)).isTrue();
    assertThat(c.events).extracting(SseClient.Event::type).containsExactly("close");
    assertThat(new JsonObject(c.events.get(0).data()).getString("reason")).isEqualTo("shutdown");
  }
}
