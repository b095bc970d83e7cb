package dev.satellite.experiment.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The load generator and its stats endpoint against a small local HTTP server on loopback. */
@ExtendWith(VertxExtension.class)
@Timeout(20_000)
class LoadGeneratorBehaviourTest {

  private static final long SLOW_MS = 150;

  private HttpServer target;
  private StatsServer stats;

  @BeforeEach
  void startTarget(Vertx vertx) throws Exception {
    target = await(vertx.createHttpServer().requestHandler(request -> {
      switch (request.path()) {
        case "/ok" -> request.response().end("ok");
        case "/down" -> request.response().setStatusCode(503).end("down");
        case "/slow" -> vertx.setTimer(SLOW_MS, t -> request.response().end("slow"));
        case "/hang" -> { } // never answers
        default -> request.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stopServers() throws Exception {
    if (stats != null) {
      await(stats.close());
    }
    await(target.close());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + target.actualPort() + path);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  @Test
  void sendsAtTheRateAndCountsEveryOutcomeByStatus(Vertx vertx) throws Exception {
    AtomicLong finishedAfter = new AtomicLong();
    LoadPlan plan = new LoadPlan(200, Duration.ofSeconds(2),
        List.of(uri("/ok"), uri("/ok"), uri("/down"), uri("/slow")), 32, Duration.ofSeconds(1));

    // warm the JIT and the loopback connections first: a cold JVM on a busy machine is late by itself
    await(LoadGenerator.start(vertx, new LoadPlan(200, Duration.ofMillis(500), List.of(uri("/ok")), 32,
        Duration.ofSeconds(1))).finished());
    long began = System.nanoTime();
    LoadGenerator load = LoadGenerator.start(vertx, plan);
    load.finished().onComplete(ar -> finishedAfter.set(System.nanoTime() - began));
    await(load.finished());
    LoadWindow total = load.total();

    assertThat(total.sent()).isBetween(388L, 412L); // 400 within 3 %
    // spread over the duration, not sent in a burst: the last arrival (1.995 s) plus at most one slow answer
    assertThat(finishedAfter.get() / 1e9).isBetween(1.95, 2.6);
    assertThat(total.throughputPerSecond()).isBetween(125.0, 155.0); // 300 ok over 2 s plus the last slow answer
    assertThat(total.byStatus()).containsOnlyKeys("200", "503");
    assertThat(total.byStatus().get("503")).isEqualTo(total.sent() / 4);
    assertThat(total.ok() + total.errors()).isEqualTo(total.sent());
    assertThat(total.errorRate()).isCloseTo(0.25, within(0.01));
    assertThat(total.p50Ms()).as("p50 of %s", load.timeline()).isLessThan(SLOW_MS * 2 / 3.0);
    assertThat(total.p99Ms()).isGreaterThanOrEqualTo(SLOW_MS * 0.99);
    assertThat(total.maxMs()).isLessThan(1_000);
    JsonArray timeline = load.timeline();
    assertThat(timeline.size()).isBetween(2, 3);
    assertThat(timeline.getJsonObject(0).getLong("sent")).isBetween(190L, 210L);
  }

  @Test
  void aRequestWithoutAnAnswerEndsAsATimeoutAtItsDeadline(Vertx vertx) throws Exception {
    LoadPlan plan = new LoadPlan(20, Duration.ofMillis(500), List.of(uri("/hang")), 4, Duration.ofMillis(200));

    LoadGenerator load = LoadGenerator.start(vertx, plan);
    await(load.finished());
    LoadWindow total = load.total();

    assertThat(total.sent()).isEqualTo(10);
    assertThat(total.byStatus()).containsExactlyEntriesOf(Map.of("timeout", 10L));
    assertThat(total.p50Ms()).isBetween(195.0, 600.0);
  }

  @Test
  void aTargetThatStallsPastTheTimeoutCostsNoConnectionsAndIsServedOnceItRecovers(Vertx vertx) throws Exception {
    // a cold target: for its first 500 ms every answer takes 700 ms, past the 300 ms timeout; then it is fast.
    // Timed-out requests keep their connections and expired waiters leave the queue without one: closing a
    // connection per timeout turned the pool over and starved the whole run (seen on a cold two-core machine).
    // The four first requests are given up (their connections closed) at about 600 ms, one timeout after their
    // deadline; the cold spell ends 100 ms before that, so the four connections that replace them are never slow
    // (with a 600 ms spell a replacement's first request could arrive a millisecond inside it, and a ninth
    // connection followed, on a busy machine)
    AtomicInteger opened = new AtomicInteger();
    AtomicLong firstRequest = new AtomicLong();
    HttpServer cold = await(vertx.createHttpServer()
        .connectionHandler(c -> opened.incrementAndGet())
        .requestHandler(request -> {
          long now = System.nanoTime();
          firstRequest.compareAndSet(0, now);
          if (now - firstRequest.get() < 500_000_000L) {
            vertx.setTimer(700, t -> request.response().end("late"));
          } else {
            request.response().end("ok");
          }
        }).listen(0, "127.0.0.1"));
    LoadPlan plan = new LoadPlan(200, Duration.ofSeconds(3),
        List.of(URI.create("http://127.0.0.1:" + cold.actualPort() + "/")), 4, Duration.ofMillis(300));

    LoadGenerator load = LoadGenerator.start(vertx, plan);
    await(load.finished());
    await(cold.close());
    JsonArray timeline = load.timeline();
    JsonObject last = timeline.getJsonObject(timeline.size() - 1);

    assertThat(load.total().byStatus()).containsKey("timeout").doesNotContainKey("io");
    assertThat(opened.get()).as("connections opened for a pool of 4").isLessThanOrEqualTo(8);
    assertThat(last.getLong("ok")).as("the last second, once the target is fast: %s", timeline)
        .isGreaterThanOrEqualTo(last.getLong("sent") * 9 / 10);
  }

  @Test
  void aRefusedConnectionIsCountedAsConnect(Vertx vertx) throws Exception {
    // a socket bound but not listening: the kernel refuses connections to its port, and nothing else can take
    // the port while it is held (a port just closed could be handed to another socket before the first request)
    try (Socket held = new Socket()) {
      held.bind(new InetSocketAddress("127.0.0.1", 0));
      LoadPlan plan = new LoadPlan(20, Duration.ofMillis(250),
          List.of(URI.create("http://127.0.0.1:" + held.getLocalPort() + "/")), 2, Duration.ofSeconds(1));

      LoadGenerator load = LoadGenerator.start(vertx, plan);
      await(load.finished());

      assertThat(load.total().byStatus()).as("first failures: %s", load.firstFailures()).containsOnlyKeys("connect");
      assertThat(load.firstFailures()).containsOnlyKeys("connect");
      assertThat(load.firstFailures().get("connect")).contains("Connection refused");
    }
  }

  @Test
  void theFirstFailureOfEachKindIsKeptWithItsCause(Vertx vertx) throws Exception {
    // a server that closes every connection at once: the request fails on the wire, not at connect
    HttpServer rude = await(vertx.createHttpServer()
        .connectionHandler(c -> c.close())
        .requestHandler(r -> r.response().end())
        .listen(0, "127.0.0.1"));
    LoadPlan plan = new LoadPlan(20, Duration.ofMillis(250),
        List.of(URI.create("http://127.0.0.1:" + rude.actualPort() + "/")), 2, Duration.ofSeconds(1));

    LoadGenerator load = LoadGenerator.start(vertx, plan);
    await(load.finished());
    await(rude.close());

    assertThat(load.total().byStatus()).containsOnlyKeys("io");
    assertThat(load.firstFailures()).containsOnlyKeys("io");
    assertThat(load.firstFailures().get("io")).isNotBlank();
  }

  @Test
  void arrivalsBeyondTheInFlightCapAreOverflowErrorsNotAQueue(Vertx vertx) throws Exception {
    // the first tick finds a whole second of arrivals due at once (a stalled sender): 100 arrivals, cap 10
    AtomicInteger reads = new AtomicInteger();
    long second = 1_000_000_000L;
    LoadPlan plan = new LoadPlan(100, Duration.ofSeconds(1), List.of(uri("/hang")), 1, Duration.ofMillis(50));
    assertThat(plan.maxInFlight()).isEqualTo(10);

    LoadGenerator load = LoadGenerator.start(vertx, plan,
        () -> reads.getAndIncrement() == 0 ? 0 : 2 * second + System.nanoTime() % 1_000, Clock.systemUTC());
    await(load.finished());
    LoadWindow total = load.total();

    assertThat(total.sent()).isEqualTo(100);
    assertThat(total.byStatus()).containsEntry("overflow", 90L).containsEntry("timeout", 10L);
  }

  @Test
  void stopEndsSendingEarlyAndFinishes(Vertx vertx) throws Exception {
    LoadPlan plan = new LoadPlan(100, Duration.ofSeconds(30), List.of(uri("/ok")), 4, Duration.ofSeconds(1));
    LoadGenerator load = LoadGenerator.start(vertx, plan);
    Thread.sleep(300);

    load.stop();
    load.stop();
    await(load.finished());
    long sent = load.total().sent();

    assertThat(sent).isBetween(10L, 100L);
    Thread.sleep(100);
    assertThat(load.total().sent()).isEqualTo(sent);
  }

  @Test
  void theStatsEndpointAnswersTheWindowOfTheRunningLoad(Vertx vertx) throws Exception {
    LoadPlan plan = new LoadPlan(100, Duration.ofSeconds(1), List.of(uri("/ok"), uri("/down")), 4,
        Duration.ofSeconds(1));
    LoadGenerator load = LoadGenerator.start(vertx, plan);
    stats = await(StatsServer.start(vertx, () -> load));
    await(load.finished());
    WebClient client = WebClient.create(vertx);

    HttpResponse<Buffer> windowed = await(client.get(stats.port(), "127.0.0.1", "/stats?window=10s").send());
    HttpResponse<Buffer> whole = await(client.get(stats.port(), "127.0.0.1", "/stats").send());

    assertThat(windowed.statusCode()).isEqualTo(200);
    assertThat(windowed.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject body = windowed.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder(
        "sent", "ok", "errors", "byStatus", "throughput", "errorRate", "p50", "p99", "max", "window");
    assertThat(body.getDouble("window")).isEqualTo(10.0);
    assertThat(body.getLong("sent")).isEqualTo(100);
    assertThat(body.getJsonObject("byStatus").getLong("503")).isEqualTo(50);
    assertThat(whole.bodyAsJsonObject().getDouble("window")).isBetween(0.9, 2.0);
    assertThat(whole.bodyAsJsonObject().getLong("ok")).isEqualTo(50);

    HttpResponse<Buffer> rate = await(client.get(stats.port(), "127.0.0.1", "/stats/errorRate?window=10s").send());
    assertThat(rate.statusCode()).isEqualTo(200);
    assertThat(Double.parseDouble(rate.bodyAsString())).as("a bare number").isEqualTo(0.5);
    assertThat(await(client.get(stats.port(), "127.0.0.1", "/stats/sent").send()).bodyAsString()).isEqualTo("100");
    assertThat(await(client.get(stats.port(), "127.0.0.1", "/stats/byStatus").send()).statusCode()).isEqualTo(404);
    HttpResponse<Buffer> upstream = await(client.get(stats.port(), "127.0.0.1", "/up/any/path").send());
    assertThat(upstream.statusCode()).isEqualTo(200);
    assertThat(upstream.bodyAsString()).isEqualTo("upstream ok\n");
    client.close();
  }

  @Test
  void theStatsEndpointAnswersZerosWithoutLoadAnd400sABadWindow(Vertx vertx) throws Exception {
    stats = await(StatsServer.start(vertx, () -> null));
    WebClient client = WebClient.create(vertx);

    HttpResponse<Buffer> idle = await(client.get(stats.port(), "127.0.0.1", "/stats?window=500ms").send());
    HttpResponse<Buffer> bad = await(client.get(stats.port(), "127.0.0.1", "/stats?window=soon").send());

    assertThat(idle.statusCode()).isEqualTo(200);
    assertThat(idle.bodyAsJsonObject()).isEqualTo(LoadWindow.EMPTY.toJson().put("window", 0.5));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject problem = bad.bodyAsJsonObject();
    assertThat(problem.fieldNames()).contains("type", "title", "status", "detail");
    assertThat(problem.getInteger("status")).isEqualTo(400);
    assertThat(problem.getString("detail")).contains("soon");
    client.close();
  }
}
