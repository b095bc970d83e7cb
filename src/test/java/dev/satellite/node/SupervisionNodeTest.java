package dev.satellite.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.NodeHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Supervision and fault injection seen from outside: HTTP status mapping, readiness, admin API. */
@ExtendWith(VertxExtension.class)
@Timeout(30_000)
class SupervisionNodeTest {

  private static final String TOKEN = "test-token-1234";
  private NodeHarness h;

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private HttpResponse<Buffer> fault(JsonObject body) throws Exception {
    return h.adminSend(HttpMethod.POST, "/admin/chaos/faults", TOKEN, body);
  }

  private JsonObject helloChild() throws Exception {
    JsonObject tree = h.admin("/admin/supervision", "Bearer " + TOKEN).bodyAsJsonObject();
    return tree.getJsonArray("children").getJsonObject(0);
  }

  private void eventually(Vertx vertx, BooleanSupplier condition) throws Exception {
    for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
      CompletableFuture<Void> tick = new CompletableFuture<>();
      vertx.setTimer(10, t -> tick.complete(null));
      tick.get();
    }
    assertThat(condition.getAsBoolean()).as("condition within 5 s").isTrue();
  }

  @Test
  void chaosEndpointsAnswer404WhenChaosIsOff(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN);
    h.assertProblem(fault(new JsonObject().put("type", "crash").put("target", "hello")), 404);
    h.assertProblem(h.admin("/admin/chaos/faults", "Bearer " + TOKEN), 404);
  }

  @Test
  void aCrashedRequestIs503WithRetryAfterAndTheActorComesBack(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "chaos.enabled=true");
    HttpResponse<Buffer> created = fault(new JsonObject().put("type", "crash").put("target", "hello").put("count", 1));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getString("id")).isNotBlank();
    assertThat(created.getHeader("Location")).startsWith("/admin/chaos/faults/");

    HttpResponse<Buffer> crashed = h.get("/hello");
    h.assertProblem(crashed, 503);
    assertThat(crashed.getHeader("Retry-After")).isEqualTo("1");
    assertThat(crashed.bodyAsJsonObject().getString("type")).endsWith("/actor-crashed");

    eventually(vertx, () -> {
      try {
        return helloChild().getInteger("restarts") == 1 && helloChild().getInteger("alive") == 2;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(h.get("/hello").bodyAsString()).isEqualTo("Hello, World!");
    JsonObject hello = helloChild();
    assertThat(hello.getJsonObject("lastCrash").getString("reason")).contains("injected crash");
    assertThat(h.admin("/metrics", null).bodyAsString())
        // the request came through the route's breaker: a poison request's crash, not counted towards giving up
        .contains("satellite_supervisor_restarts_total{child=\"hello\",reason=\"poison\",supervisor=\"root\"} 1.0")
        .contains("satellite_supervisor_children_alive{child=\"hello\",supervisor=\"root\"} 2.0");
    assertThat(h.exits).isEmpty();
  }

  @Test
  void aHungActorAnswers504AtTheRequestDeadline(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "chaos.enabled=true", "http.requestTimeout=200ms",
        "supervision.liveness.interval=10s");
    assertThat(fault(new JsonObject().put("type", "hang").put("target", "hello").put("durationMs", 1000)).statusCode())
        .isEqualTo(201);
    HttpResponse<Buffer> hung = h.get("/hello");
    h.assertProblem(hung, 504);
  }

  @Test
  void readinessStays200WhileAChildBacksOffAndListsItsStatus(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "chaos.enabled=true",
        "supervision.backoff.min=5s", "supervision.backoff.max=5s", "supervision.backoff.jitter=0");
    fault(new JsonObject().put("type", "crash").put("target", "hello").put("count", 2));
    h.get("/hello");
    eventually(vertx, () -> {
      try {
        return helloChild().getInteger("restarts") == 1;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    h.get("/hello"); // the second consecutive crash: this instance waits 5 s
    eventually(vertx, () -> {
      try {
        return "backing_off".equals(helloChild().getString("status"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    HttpResponse<Buffer> ready = h.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject hello = ready.bodyAsJsonObject().getJsonObject("actors").getJsonObject("hello");
    assertThat(hello.getString("status")).isEqualTo("backing_off");
    assertThat(hello.getInteger("alive")).isEqualTo(1);
    assertThat(hello.getInteger("wanted")).isEqualTo(2);
    assertThat(h.get("/hello").statusCode()).as("the other instance still serves").isEqualTo(200);
  }

  @Test
  void aCrashLoopMakesTheRootGiveUpAndCallTheExitWith70(Vertx vertx) throws Exception {
    // the route's breaker would otherwise stop feeding the crash loop (see breakerShieldsACrashLoopingActor)
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "chaos.enabled=true", "defaults.breaker.maxFailures=0",
        "supervision.backoff.min=1ms", "supervision.backoff.max=1ms");
    fault(new JsonObject().put("type", "crash").put("target", "hello").put("count", 1000));
    for (int i = 0; i < 200 && h.exits.isEmpty(); i++) {
      assertThat(h.get("/hello").statusCode()).isEqualTo(503);
    }
    eventually(vertx, () -> !h.exits.isEmpty());
    assertThat(h.exits).singleElement().asString()
        .startsWith("70 supervisor 'root' gave up after 6 crashes in 10s: child 'hello'");
  }

  @Test
  void aWedgedEventLoopFailsLivenessAndCallsTheExitWith70(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "supervision.maxLoopBlock=300ms");
    CompletableFuture<Void> released = new CompletableFuture<>();
    h.node.vertx().runOnContext(v -> {
      long end = System.nanoTime() + 3_000_000_000L;
      while (System.nanoTime() < end && h.exits.isEmpty()) {
        Thread.onSpinWait(); // wedge one event loop on purpose
      }
      released.complete(null);
    });
    eventually(vertx, () -> !h.exits.isEmpty());
    assertThat(h.exits).singleElement().asString().startsWith("70 wedged: event loop");
    assertThat(h.node.status().live()).isFalse();
    released.get();
    HttpResponse<Buffer> live = h.get("/health/live");
    assertThat(live.statusCode()).isEqualTo(503);
    assertThat(live.bodyAsJsonObject().getString("reason")).contains("blocked for at least");
  }

  @Test
  void faultsCanBeListedAndDeleted(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "chaos.enabled=true");
    String id = fault(new JsonObject().put("type", "crash").put("target", "hello").put("count", 3))
        .bodyAsJsonObject().getString("id");
    JsonObject listed = h.admin("/admin/chaos/faults", "Bearer " + TOKEN).bodyAsJsonObject();
    assertThat(listed.getJsonArray("faults")).hasSize(1);
    assertThat(listed.getJsonArray("faults").getJsonObject(0).getInteger("remaining")).isEqualTo(3);
    assertThat(h.adminSend(HttpMethod.DELETE, "/admin/chaos/faults/" + id, TOKEN, null).statusCode()).isEqualTo(204);
    h.assertProblem(h.adminSend(HttpMethod.DELETE, "/admin/chaos/faults/" + id, TOKEN, null), 404);
    assertThat(h.get("/hello").statusCode()).isEqualTo(200);
  }

  @Test
  void badFaultRequestsAre400(Vertx vertx) throws Exception {
    h = NodeHarness.start(vertx, "admin.token=" + TOKEN, "chaos.enabled=true");
    h.assertProblem(fault(new JsonObject().put("type", "melt").put("target", "hello")), 400);
    h.assertProblem(fault(new JsonObject().put("type", "crash").put("target", "nobody")), 400);
    h.assertProblem(fault(new JsonObject().put("type", "crash").put("target", "hello").put("count", 0)), 400);
    h.assertProblem(fault(new JsonObject().put("type", "hang").put("target", "hello")), 400);
    h.assertProblem(h.call(HttpMethod.POST, true, "/admin/chaos/faults",
        r -> r.putHeader("Authorization", "Bearer " + TOKEN).putHeader("content-type", "application/json")), 400);
  }
}
