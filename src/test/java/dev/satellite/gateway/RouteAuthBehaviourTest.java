package dev.satellite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.satellite.support.FakeClock;
import dev.satellite.support.NodeHarness;
import dev.satellite.support.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A route's {@code auth} policy in a whole node: first among the policies, 401/403 as problem+json, never logged. */
@ExtendWith(VertxExtension.class)
@Timeout(30_000)
class RouteAuthBehaviourTest {

  private static final String ADMIN = "admin-token-for-tests";
  private static final String PUBLISHER = "publisher-token-1";
  private static final String INGESTER = "ingest-token-1";

  private NodeHarness h;
  private TestUpstream upstream;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  /** The node's loggers, captured at every level here (and kept off the console) while a test runs. */
  private final java.util.List<Logger> captured = java.util.List.of((Logger) LoggerFactory.getLogger("dev.satellite"),
      (Logger) LoggerFactory.getLogger("satellite"));

  @BeforeEach
  void captureLogs() {
    logs.start();
    for (Logger l : captured) {
      l.setLevel(ch.qos.logback.classic.Level.DEBUG);
      l.setAdditive(false);
      l.addAppender(logs);
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (Logger l : captured) {
      l.detachAppender(logs);
      l.setAdditive(true);
      l.setLevel(null);
    }
    if (h != null) {
      h.close();
    }
    if (upstream != null) {
      NodeHarness.await(upstream.close());
    }
  }

  private HttpResponse<Buffer> post(String path, String authorization) throws Exception {
    return h.call(HttpMethod.POST, false, path, r -> (authorization == null ? r : r.putHeader("Authorization", authorization))
        .putHeader("Content-Type", "application/json"));
  }

  private HttpResponse<Buffer> postJson(String path, String authorization) throws Exception {
    int port = h.node.config().http().port();
    var req = io.vertx.ext.web.client.WebClient.create(h.node.vertx()).post(port, "127.0.0.1", path);
    if (authorization != null) {
      req.putHeader("Authorization", authorization);
    }
    return NodeHarness.await(req.sendJsonObject(new JsonObject().put("n", 1)));
  }

  private JsonObject route(String name) throws Exception {
    return h.admin("/admin/edges", "Bearer " + ADMIN).bodyAsJsonObject().getJsonArray("routes").stream()
        .map(JsonObject.class::cast).filter(r -> r.getString("route").equals(name)).findFirst().orElseThrow();
  }

  private void assertRefused(HttpResponse<Buffer> r, int status, String challenge) {
    h.assertProblem(r, status);
    assertThat(r.getHeader("WWW-Authenticate")).isEqualTo(challenge);
  }

  @Test
  void anUnauthenticatedFloodIsRefusedBeforeTheRateLimitAndLeavesTheBucketToTheRightfulClient(Vertx vertx)
      throws Exception {
    h = NodeHarness.start(vertx, new FakeClock(), "admin.token=" + ADMIN, "log.access=true",
        "routes=[{path: /push/:topic, methods: [POST], actor: echo, rateLimit: {rps: 1, burst: 2}, auth: {tokens: ["
            + PUBLISHER + "]}}, {path: /events, methods: [POST], actor: echo, auth: {tokens: [" + INGESTER + "]}},"
            + " {path: /open, methods: [GET], actor: whoami}]");
    for (int i = 0; i < 10; i++) {
      assertRefused(post("/push/news", null), 401, "Bearer realm=\"satellite\"");
    }
    assertRefused(post("/push/news", "Basic cHVibGlzaGVyOng="), 401, "Bearer realm=\"satellite\", error=\"invalid_request\"");
    assertRefused(post("/push/news", "Bearer not-" + PUBLISHER), 401, "Bearer realm=\"satellite\", error=\"invalid_token\"");
    HttpResponse<Buffer> forbidden = post("/push/news", "Bearer " + INGESTER);
    assertRefused(forbidden, 403, "Bearer realm=\"satellite\", error=\"insufficient_scope\"");
    assertThat(forbidden.bodyAsJsonObject().getString("type")).endsWith("/forbidden");
    // the clock stands still: the bucket holds 2, and none of the 13 refusals took from it
    assertThat(postJson("/push/news", "Bearer " + PUBLISHER).statusCode()).isEqualTo(200);
    assertThat(postJson("/push/news", "bearer  " + PUBLISHER).statusCode()).isEqualTo(200);
    assertThat(postJson("/push/news", "Bearer " + PUBLISHER).statusCode()).as("the rate limit still stands").isEqualTo(429);
    assertThat(postJson("/events", "Bearer " + INGESTER).statusCode()).isEqualTo(200);
    assertThat(h.get("/open").statusCode()).as("a route without auth").isEqualTo(200);

    JsonObject edges = route("/push/:topic");
    assertThat(edges.getJsonObject("outcomes").getLong("unauthorized")).isEqualTo(13L);
    assertThat(edges.getJsonObject("outcomes").getLong("rate_limited")).isEqualTo(1L);
    assertThat(edges.getJsonObject("auth").getJsonObject("verdicts").getMap()).containsEntry("missing", 10)
        .containsEntry("malformed", 1).containsEntry("invalid", 1).containsEntry("forbidden", 1)
        .containsEntry("allowed", 3);
    assertThat(edges.getJsonObject("rateLimit").getLong("refused")).isEqualTo(1L);
    assertThat(route("/open").getValue("auth")).isNull();
    assertThat(h.admin("/metrics", null).bodyAsString())
        .contains("satellite_edge_requests_total{outcome=\"unauthorized\",route=\"/push/:topic\"} 13.0");
    String info = h.admin("/admin/info", "Bearer " + ADMIN).bodyAsString();
    assertThat(info).contains("/push/:topic").doesNotContain(PUBLISHER).doesNotContain(INGESTER);
    String logged = logs.list.stream().map(e -> e.getFormattedMessage() + " " + e.getKeyValuePairs())
        .collect(Collectors.joining("\n"));
    assertThat(logged).as("access log lines were written").contains("/push/news 401");
    assertThat(logged).doesNotContain(PUBLISHER).doesNotContain(INGESTER);
  }

  @Test
  void aTokenFileIsReReadWhileTheNodeRunsAndAnUpstreamNeverSeesTheToken(Vertx vertx, @TempDir Path dir) throws Exception {
    upstream = new TestUpstream();
    int port = NodeHarness.await(upstream.start(vertx));
    Path tokens = Files.writeString(dir.resolve("tokens.txt"), "# publishers\nfirst-token\n");
    h = NodeHarness.start(vertx, "admin.token=" + ADMIN, "defaults.auth.tokenFile=" + tokens,
        "routes=[{path: /up/*, methods: [GET], upstream: 'http://127.0.0.1:" + port + "'}]");
    HttpResponse<Buffer> seen = h.call(HttpMethod.GET, false, "/up/headers", r -> r.putHeader("Authorization", "Bearer first-token"));
    assertThat(seen.statusCode()).isEqualTo(200);
    assertThat(seen.bodyAsJsonObject().fieldNames()).as("the node's credential stays at the node").doesNotContain("authorization");
    assertThat(h.get("/up/headers").statusCode()).isEqualTo(401);

    Files.writeString(tokens, "second-token\n");
    boolean rotated = IntStream.range(0, 100).anyMatch(i -> {
      try {
        return h.call(HttpMethod.GET, false, "/up/headers", r -> r.putHeader("Authorization", "Bearer second-token"))
            .statusCode() == 200 || !pause(vertx);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(rotated).as("the new token was accepted within the bounded wait").isTrue();
    assertThat(h.call(HttpMethod.GET, false, "/up/headers", r -> r.putHeader("Authorization", "Bearer first-token"))
        .statusCode()).as("the token removed from the file").isEqualTo(401);
  }

  /** Waits 50 ms on a Vert.x timer (between polls of a bounded loop); always true. */
  private static boolean pause(Vertx vertx) {
    try {
      io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
      vertx.setTimer(50, t -> p.complete());
      NodeHarness.await(p.future());
      return true;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
