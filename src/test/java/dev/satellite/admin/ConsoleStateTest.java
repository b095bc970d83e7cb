package dev.satellite.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.NodeHarness;
import dev.satellite.support.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the console's stream carries: the node's state once a second, p99s per interval, the events feed. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ConsoleStateTest {

  private static final Pattern STATE = Pattern.compile("event: state\ndata: (.+)\n\n");
  private NodeHarness h;

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private static List<JsonObject> states(String raw) {
    // chunked framing aside, each state is one "data:" line
    Matcher m = STATE.matcher(raw.replaceAll("\r\n[0-9a-f]+\r\n", ""));
    List<JsonObject> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(new JsonObject(m.group(1)));
    }
    return out;
  }

  @Test
  void theStreamSendsTheWholeStateEverySecond(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "admin.token=t-1", "chaos.enabled=true");
    int admin = h.node.config().admin().port();
    for (int i = 0; i < 20; i++) {
      assertThat(h.get("/hello").statusCode()).isEqualTo(200);
    }
    String raw;
    try (Socket stream = new Socket("127.0.0.1", admin)) {
      stream.getOutputStream().write("GET /admin/console/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t-1\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      raw = RawHttp.readFor(stream, Duration.ofMillis(2500));
    }
    assertThat(raw).startsWith("HTTP/1.1 200").contains("text/event-stream", "retry: 2000");
    List<JsonObject> states = states(raw);
    assertThat(states).as("one at once, then one a second").hasSizeBetween(2, 4);
    JsonObject s = states.get(0);
    assertThat(s.getJsonObject("node").getString("phase")).isEqualTo("ready");
    assertThat(s.getJsonObject("node").getBoolean("chaos")).isTrue();
    assertThat(s.getJsonObject("supervision").getJsonArray("children")).isNotEmpty();
    assertThat(s.getJsonObject("edges").getJsonArray("routes")).isNotEmpty();
    assertThat(s.getJsonObject("cluster").getBoolean("clustered")).isFalse();
    JsonObject hello = s.getJsonObject("latency").getJsonObject("/hello");
    assertThat(hello.getDouble("ok")).as("p99 of the 20 answered").isPositive();
    assertThat(hello.getValue("failed")).as("none failed").isNull();
    assertThat(states.get(1).getJsonObject("latency").getJsonObject("/hello").getValue("ok"))
        .as("the next second had no request: the p99 is of an interval, not since start").isNull();
    assertThat(s.getJsonObject("outcomeKinds").getString("breaker_open")).isEqualTo("refused");
    assertThat(s.getJsonObject("outcomeKinds").getString("actor_error")).isEqualTo("failed");
    assertThat(s.getJsonObject("outcomeKinds").getString("unauthorized")).isEqualTo("client");
    assertThat(s.getJsonArray("faults")).isEmpty();
    assertThat(s.getJsonArray("events")).isNotNull();
  }

  /** What the first read of {@code s} returns (a stream never ends, so read what has come, not until the end). */
  private static String firstBytes(Socket s) throws Exception {
    s.setSoTimeout(5000);
    byte[] buf = new byte[256];
    int n = s.getInputStream().read(buf);
    return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
  }

  @Test
  void atMost32StreamsAtOnceTheNextGets503AndAClosedOneFreesItsPlace(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "admin.token=t-1");
    int admin = h.node.config().admin().port();
    String open = "GET /admin/console/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t-1\r\n\r\n";
    List<Socket> streams = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < Console.MAX_STREAMS; i++) {
        Socket s = new Socket("127.0.0.1", admin);
        streams.add(s);
        s.getOutputStream().write(open.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(firstBytes(s)).as("stream %d", i).startsWith("HTTP/1.1 200");
      }
      String refused = RawHttp.exchange(admin, open, Duration.ofSeconds(2));
      assertThat(refused).startsWith("HTTP/1.1 503");
      assertThat(refused.toLowerCase(java.util.Locale.ROOT)).contains("retry-after", "application/problem+json");
      streams.remove(0).close();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      String again = "";
      while (System.nanoTime() < until && !again.startsWith("HTTP/1.1 200")) {
        try (Socket s = new Socket("127.0.0.1", admin)) {
          s.getOutputStream().write(open.getBytes(StandardCharsets.ISO_8859_1));
          again = firstBytes(s);
        }
      }
      assertThat(again).as("a closed stream's place is free again").startsWith("HTTP/1.1 200");
    } finally {
      for (Socket s : streams) {
        s.close();
      }
    }
  }

  @Test
  void aStreamOpenedWithABearerTokenEndsWhenTheTokenIsTakenAway(Vertx vertx) throws Exception {
    java.nio.file.Path file = java.nio.file.Files.writeString(dev.satellite.support.TestConfigs.emptyDir()
        .resolve("token"), "stream-1\n");
    h = NodeHarness.start(vertx, "admin.tokenFile=" + file);
    int admin = h.node.config().admin().port();
    try (Socket stream = new Socket("127.0.0.1", admin)) {
      stream.getOutputStream().write("GET /admin/console/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer stream-1\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      assertThat(firstBytes(stream)).startsWith("HTTP/1.1 200");
      java.nio.file.Files.writeString(file, "stream-2\n");
      assertThat(RawHttp.readFor(stream, Duration.ofSeconds(4))).as("the response ends").contains("\r\n0\r\n\r\n");
    }
  }

  @Test
  void aConsoleThatCannotKeepUpSkipsStatesAndIsEndedAfterMaxSkippedInARow() {
    boolean[] full = {true};
    int[] written = {0};
    io.vertx.core.http.HttpServerResponse response = (io.vertx.core.http.HttpServerResponse) java.lang.reflect.Proxy
        .newProxyInstance(getClass().getClassLoader(), new Class<?>[] {io.vertx.core.http.HttpServerResponse.class},
            (proxy, method, args) -> switch (method.getName()) {
              case "writeQueueFull" -> full[0];
              case "write" -> {
                written[0]++;
                yield null;
              }
              default -> throw new UnsupportedOperationException(method.getName());
            });
    Console.Stream stream = new Console.Stream(response, null, () -> true);
    io.vertx.core.buffer.Buffer state = io.vertx.core.buffer.Buffer.buffer("event: state\ndata: {}\n\n");
    for (int i = 1; i < Console.MAX_SKIPPED; i++) {
      assertThat(Console.send(stream, state)).as("skip %d", i).isTrue();
    }
    full[0] = false;
    assertThat(Console.send(stream, state)).as("caught up: written, the count starts over").isTrue();
    assertThat(written[0]).isEqualTo(1);
    full[0] = true;
    for (int i = 1; i < Console.MAX_SKIPPED; i++) {
      assertThat(Console.send(stream, state)).isTrue();
    }
    assertThat(Console.send(stream, state)).as("MAX_SKIPPED in a row: end it").isFalse();
    assertThat(written[0]).isEqualTo(1);
  }

  @Test
  void signingOutEndsTheSessionsStream(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "admin.token=t-1");
    int admin = h.node.config().admin().port();
    var in = NodeHarness.await(io.vertx.ext.web.client.WebClient.create(vertx).post(admin, "127.0.0.1", "/admin/session")
        .sendJsonObject(new JsonObject().put("token", "t-1")));
    String cookie = in.cookies().get(0).split(";")[0];
    String csrf = in.bodyAsJsonObject().getString("csrf");
    try (Socket stream = new Socket("127.0.0.1", admin)) {
      stream.getOutputStream().write(("GET /admin/console/stream HTTP/1.1\r\nHost: x\r\nCookie: " + cookie + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      assertThat(RawHttp.readFor(stream, Duration.ofMillis(300))).contains("event: state").doesNotContain("\r\n0\r\n\r\n");
      String out = RawHttp.exchange(admin, "DELETE /admin/session HTTP/1.1\r\nHost: x\r\nCookie: " + cookie
          + "\r\nX-CSRF-Token: " + csrf + "\r\nConnection: close\r\n\r\n", Duration.ofSeconds(2));
      assertThat(out).startsWith("HTTP/1.1 204");
      assertThat(RawHttp.readFor(stream, Duration.ofMillis(1500))).as("the response ends").contains("0\r\n\r\n");
    }
  }

  @Test
  void theFeedTellsBreakerTransitionsMembershipSupervisionAndChaos() {
    ConsoleEvents events = new ConsoleEvents(Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC));
    events.compare(state(List.of("n1", "n2"), List.of()));
    assertThat(events.recent()).as("the first state is the baseline").isEmpty();
    events.edge(new JsonObject().put("event", "BreakerStateChanged").put("route", "/hello").put("state", "open")
        .put("openMs", 5000));
    events.compare(state(List.of("n1", "n3"), List.of("n3")));
    events.supervision(new JsonObject().put("event", "ActorCrashed").put("child", "hello").put("instance", 1)
        .put("kind", "poison").put("reason", "boom").put("at", "2026-12-02T10:00:01Z"));
    events.supervision(new JsonObject().put("event", "ActorRestarted").put("child", "hello").put("instance", 1)
        .put("generation", 7).put("downMs", 12.6).put("backoffMs", 0).put("at", "2026-12-02T10:00:02Z"));
    events.chaos(new JsonObject().put("event", "injected").put("id", "f1").put("type", "crash")
        .put("target", "actor:hello").put("node", "n1").put("at", "2026-12-02T10:00:03Z"));
    assertThat(events.recent().stream().map(o -> ((JsonObject) o).getString("text")))
        .containsExactly("breaker of /hello is open: calls fail fast for 5000 ms", "n3 joined", "n2 left", "n3 ejected",
            "hello#1 crashed (poison): boom", "hello#1 restarted as generation 7 after 13 ms down (backoff 0 ms)",
            "fault f1 injected: crash on actor:hello on node n1");
    for (int i = 0; i < ConsoleEvents.KEPT + 5; i++) {
      events.add("x", null, "e" + i);
    }
    assertThat(events.recent()).hasSize(ConsoleEvents.KEPT);
  }

  private static JsonObject state(List<String> members, List<String> ejected) {
    JsonArray m = new JsonArray();
    members.forEach(id -> m.add(new JsonObject().put("id", id)));
    JsonObject e = new JsonObject();
    ejected.forEach(id -> e.put(id, new JsonObject()));
    return new JsonObject()
        .put("cluster", new JsonObject().put("clustered", true).put("members", m).put("ejected", e));
  }
}
