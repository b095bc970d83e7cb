package dev.satellite.services.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.FakeClock;
import dev.satellite.support.NodeHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** POST /events and GET /stats/{name} on a standalone node, as a client sees them. */
@ExtendWith(VertxExtension.class)
@Timeout(60_000)
class AnalyticsBehaviourTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private NodeHarness h;

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private HttpResponse<Buffer> postBody(Object body, String key) throws Exception {
    Buffer bytes = body instanceof JsonArray a ? a.toBuffer() : ((JsonObject) body).toBuffer();
    HttpRequest<Buffer> req = io.vertx.ext.web.client.WebClient.create(h.node.vertx())
        .post(h.node.config().http().port(), "127.0.0.1", "/events").putHeader("content-type", "application/json");
    if (key != null) {
      req.putHeader("Idempotency-Key", key);
    }
    HttpResponse<Buffer> r = NodeHarness.await(req.sendBuffer(bytes));
    if (r.statusCode() >= 500) {
      throw new AssertionError(r.bodyAsString());
    }
    return r;
  }

  private JsonObject stats(String name) throws Exception {
    HttpResponse<Buffer> r = h.get("/stats/" + name);
    assertThat(r.statusCode()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static JsonObject event(String name, Object value) {
    return new JsonObject().put("name", name).put("value", value);
  }

  @Test
  void aBatchWithOneBadEventIsRefusedWhole400NamingFieldAndIndex(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx);
    HttpResponse<Buffer> refused = postBody(new JsonArray().add(event("signup", 1)).add(event("login", 2))
        .add(event("signup", "three")), null);
    h.assertProblem(refused, 400);
    assertThat(refused.bodyAsJsonObject().getString("detail")).startsWith("events[2].value: must be a number");
    assertThat(stats("signup").getLong("count")).as("nothing of a rejected batch is applied").isZero();
    assertThat(stats("login").getLong("count")).isZero();
    h.assertProblem(h.get("/stats/bad%20name"), 400);
  }

  @Test
  void acceptedEventsAre202AndCountedWithSumAndSixtyMinutes(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx);
    HttpResponse<Buffer> one = postBody(event("signup", 2), null);
    assertThat(one.statusCode()).isEqualTo(202);
    assertThat(one.bodyAsJsonObject()).isEqualTo(new JsonObject().put("accepted", 1).put("replay", false));
    assertThat(postBody(new JsonArray().add(event("signup", 3)).add(new JsonObject().put("name", "signup")), null)
        .statusCode()).isEqualTo(202);
    JsonObject s = stats("signup");
    assertThat(s.getString("name")).isEqualTo("signup");
    assertThat(s.getLong("count")).isEqualTo(3);
    assertThat(s.getDouble("sum")).isEqualTo(6.0);
    assertThat(s.getJsonArray("perMinute")).hasSize(60);
    assertThat(s.getJsonArray("perMinute").getLong(59)).isEqualTo(3);
    assertThat(stats("never").getLong("count")).isZero();
  }

  @Test
  void aRetriedBatchWithTheSameIdempotencyKeyIsCountedOnceAndSaysReplay(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx);
    JsonArray batch = new JsonArray().add(event("a", 1)).add(event("b", 1)).add(event("a", 1));
    HttpResponse<Buffer> first = postBody(batch, "batch-1");
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(first.bodyAsJsonObject().getBoolean("replay")).isFalse();
    HttpResponse<Buffer> again = postBody(batch, "batch-1");
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.bodyAsJsonObject().getBoolean("replay")).isTrue();
    assertThat(again.getHeader(AnalyticsActor.REPLAYED_HEADER)).isEqualTo("true");
    assertThat(stats("a").getLong("count")).isEqualTo(2);
    assertThat(stats("b").getLong("count")).isEqualTo(1);
    assertThat(postBody(batch, "batch-2").bodyAsJsonObject().getBoolean("replay")).isFalse();
    assertThat(stats("a").getLong("count")).isEqualTo(4);
    assertThat(h.admin("/metrics", null).bodyAsString())
        .contains("satellite_analytics_events_total{result=\"applied\"} 6.0")
        .contains("satellite_analytics_events_total{result=\"replayed\"} 3.0");
  }

  @Test
  void aKeyReusedWithAnotherBodyIs422AndNothingOfThatBodyIsApplied(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx);
    assertThat(postBody(new JsonArray().add(event("a", 1)).add(event("b", 1)), "k-1").statusCode()).isEqualTo(202);
    HttpResponse<Buffer> other = postBody(new JsonArray().add(event("a", 5)).add(event("c", 1)), "k-1");
    h.assertProblem(other, 422);
    assertThat(other.bodyAsJsonObject().getString("detail")).startsWith("Idempotency-Key: 'k-1'");
    assertThat(stats("a").getLong("count")).isEqualTo(1);
    assertThat(stats("a").getDouble("sum")).isEqualTo(1.0);
    assertThat(stats("c").getLong("count")).as("not even the names the first body did not have").isZero();
    // the first body again, spaced differently, is the same request: a replay
    HttpRequest<Buffer> spaced = io.vertx.ext.web.client.WebClient.create(h.node.vertx())
        .post(h.node.config().http().port(), "127.0.0.1", "/events").putHeader("content-type", "application/json")
        .putHeader("Idempotency-Key", "k-1");
    HttpResponse<Buffer> again = NodeHarness.await(spaced.sendBuffer(Buffer.buffer(
        "[ {\"name\": \"a\", \"value\": 1},\n  {\"name\": \"b\", \"value\": 1} ]")));
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.bodyAsJsonObject().getBoolean("replay")).isTrue();
    assertThat(stats("a").getLong("count")).isEqualTo(1);
    assertThat(h.admin("/metrics", null).bodyAsString()).contains("satellite_analytics_rejected_requests_total 1.0");
  }

  /** A node died after applying part of a batch: the retry applies the rest, and nothing twice. */
  @Test
  void aRetryCompletesAPartlyAppliedBatchWithoutDoublingTheAppliedPart(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "edge.maxLoopDelay=0s");
    AnalyticsStore store = AnalyticsStore.of(h.node.vertx());
    long now = System.currentTimeMillis();
    NodeHarness.await(store.add("a", new Delta.Builder().add(1, now).add(1, now).build(), "cut-short", now, 600_000,
        h.node.vertx().getOrCreateContext()));
    JsonArray batch = new JsonArray().add(event("a", 1)).add(event("b", 1)).add(event("a", 1));
    HttpResponse<Buffer> retry = postBody(batch, "cut-short");
    assertThat(retry.statusCode()).isEqualTo(202);
    assertThat(retry.bodyAsJsonObject().getBoolean("replay")).isTrue();
    assertThat(stats("a").getLong("count")).isEqualTo(2);
    assertThat(stats("b").getLong("count")).isEqualTo(1);
  }

  @Test
  void perMinuteBucketsFollowTheInjectedClock(Vertx vertx) throws Exception {
    FakeClock clock = new FakeClock(T0);
    h = NodeHarness.startAt(vertx, clock);
    postBody(event("tick", 1), null);
    clock.advance(Duration.ofMinutes(1));
    postBody(new JsonArray().add(event("tick", 1)).add(event("tick", 1)), null);
    postBody(new JsonObject().put("name", "tick").put("ts", T0.minus(Duration.ofMinutes(5)).toEpochMilli()), null);
    JsonArray pm = stats("tick").getJsonArray("perMinute");
    assertThat(pm.getLong(59)).isEqualTo(2);
    assertThat(pm.getLong(58)).isEqualTo(1);
    assertThat(pm.getLong(53)).as("an event's ts, when given, picks its minute").isEqualTo(1);
    clock.advance(Duration.ofMinutes(58)); // T0's minute is the oldest of the sixty
    pm = stats("tick").getJsonArray("perMinute");
    assertThat(pm.getLong(0)).isEqualTo(1);
    assertThat(pm.getLong(1)).isEqualTo(2);
    assertThat(pm.stream().mapToLong(o -> ((Number) o).longValue()).sum()).isEqualTo(3);
    clock.advance(Duration.ofMinutes(1));
    pm = stats("tick").getJsonArray("perMinute");
    assertThat(pm.getLong(0)).isEqualTo(2);
    assertThat(pm.stream().mapToLong(o -> ((Number) o).longValue()).sum()).isEqualTo(2);
    assertThat(stats("tick").getLong("count")).isEqualTo(4);
  }

  @Test
  void aBadIdempotencyKeyOrAnOversizedBatchIs400(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "analytics.maxBatch=2");
    HttpResponse<Buffer> big = postBody(new JsonArray().add(event("a", 1)).add(event("a", 1)).add(event("a", 1)), null);
    h.assertProblem(big, 400);
    assertThat(big.bodyAsJsonObject().getString("detail")).contains("more than the 2 allowed");
    HttpResponse<Buffer> key = postBody(event("a", 1), "has space");
    h.assertProblem(key, 400);
    assertThat(key.bodyAsJsonObject().getString("detail")).startsWith("Idempotency-Key:");
    assertThat(stats("a").getLong("count")).isZero();
    assertThat(h.admin("/metrics", null).bodyAsString()).contains("satellite_analytics_rejected_requests_total 2.0");
  }

  @Test
  void analyticsOffRemovesItsRoutes(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "analytics.enabled=false");
    assertThat(h.get("/stats/a").statusCode()).isEqualTo(404);
    assertThat(h.node.config().supervision().root().children()).noneMatch(c -> c.id().equals("analytics"));
  }
}
