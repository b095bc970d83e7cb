package dev.satellite.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.NodeHarness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A whole node in this JVM, on free loopback ports, called over HTTP. */
@ExtendWith(VertxExtension.class)
@Timeout(30_000)
class NodeBehaviourTest {

  private static final String TOKEN = "test-token-1234";

  private NodeHarness h;
  private Node node;

  private void start(Vertx vertx, String... sets) throws Exception {
    h = NodeHarness.start(vertx, sets);
    node = h.node;
  }

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private HttpResponse<Buffer> call(HttpMethod method, boolean admin, String path,
      UnaryOperator<HttpRequest<Buffer>> customize) throws Exception {
    return h.call(method, admin, path, customize);
  }

  private HttpResponse<Buffer> get(String path) throws Exception {
    return h.get(path);
  }

  private HttpResponse<Buffer> admin(String path, String authorization) throws Exception {
    return h.admin(path, authorization);
  }

  private void assertProblem(HttpResponse<Buffer> response, int status, String nodeId) {
    h.assertProblem(response, status);
  }

  @Test
  void healthEndpointsAnswerJson(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<Buffer> live = get("/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.getHeader("content-type")).isEqualTo("application/json");
    assertThat(live.bodyAsJsonObject().getString("status")).isEqualTo("UP");

    HttpResponse<Buffer> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    assertThat(ready.bodyAsJsonObject().getString("phase")).isEqualTo("ready");
    assertThat(ready.bodyAsJsonObject().getString("node")).isEqualTo(node.config().nodeId());
  }

  /** Start to ready counts from the process's start (the JVM's boot and the CLI are in it), not from the node's. */
  @Test
  void startToReadyIsMeasuredFromTheProcessStartOnTheNodesClock(Vertx vertx) throws Exception {
    dev.satellite.support.FakeClock clock = new dev.satellite.support.FakeClock(java.time.Instant.parse("2026-12-02T10:00:00Z"));
    h = NodeHarness.startAt(vertx, clock, clock.instant().minusMillis(2500));
    node = h.node;
    assertThat(admin("/metrics", null).bodyAsString()).contains("satellite_start_to_ready_seconds 2.5");
  }

  @Test
  void livenessFailsOnceTheNodeIsMarkedWedged(Vertx vertx) throws Exception {
    start(vertx);
    node.status().markWedged("event loop blocked for 6000 ms");
    HttpResponse<Buffer> live = get("/health/live");
    assertThat(live.statusCode()).isEqualTo(503);
    assertThat(live.bodyAsJsonObject().getString("reason")).contains("blocked");
  }

  @Test
  void readinessTurns503AsSoonAsShutdownBeginsWhileLivenessStaysUp(Vertx vertx, VertxTestContext ctx) throws Exception {
    start(vertx, "shutdown.drainDelay=2s");
    Future<Void> stopping = node.shutdown();
    int port = node.config().http().port();
    WebClient client = WebClient.create(vertx);
    client.get(port, "127.0.0.1", "/health/ready").send()
        .compose(ready -> {
          ctx.verify(() -> {
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.bodyAsJsonObject().getString("phase")).isEqualTo("draining");
          });
          return client.get(port, "127.0.0.1", "/health/live").send();
        })
        .onComplete(ctx.succeeding(live -> ctx.verify(() -> {
          assertThat(live.statusCode()).isEqualTo(200);
          assertThat(stopping.isComplete()).as("still draining").isFalse();
          ctx.completeNow();
        })));
  }

  @Test
  void everyChaosInjectionAndRevertIsPublishedOnTheBusWithTheNodeId(Vertx vertx) throws Exception {
    start(vertx, "chaos.enabled=true");
    java.util.concurrent.BlockingQueue<io.vertx.core.json.JsonObject> heard = new java.util.concurrent.LinkedBlockingQueue<>();
    node.vertx().eventBus().<io.vertx.core.json.JsonObject>consumer("satellite.chaos", m -> heard.add(m.body()))
        .completion().toCompletionStage().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
    dev.satellite.chaos.Fault f = node.faults().crash("hello", 2);
    node.faults().remove(f.id());
    io.vertx.core.json.JsonObject injected = heard.poll(5, java.util.concurrent.TimeUnit.SECONDS);
    io.vertx.core.json.JsonObject reverted = heard.poll(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(injected).isNotNull();
    assertThat(injected.getString("event")).isEqualTo("injected");
    assertThat(injected.getString("id")).isEqualTo(f.id());
    assertThat(injected.getString("node")).isEqualTo(node.config().nodeId());
    assertThat(injected.getString("type")).isEqualTo("crash");
    assertThat(reverted.getString("event")).isEqualTo("reverted");
    assertThat(reverted.getString("reason")).isEqualTo("deleted");
  }

  @Test
  void oneMetricIsServedAsABareNumberSummedOverTheSeriesItsLabelsPick(Vertx vertx) throws Exception {
    start(vertx, "chaos.enabled=true");
    node.faults().crash("hello", 1);
    node.faults().crash("echo", 1);
    node.faults().hang("echo", java.time.Duration.ofSeconds(1));
    HttpResponse<Buffer> all = admin("/metrics/satellite_chaos_faults_total", null);
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.getHeader("content-type")).isEqualTo("application/json");
    assertThat(all.bodyAsString()).isEqualTo("3");
    assertThat(all.getHeader("Satellite-Metric-Series")).isEqualTo("2");
    assertThat(admin("/metrics/satellite_chaos_faults_total?type=hang", null).bodyAsString()).isEqualTo("1");
    assertThat(admin("/metrics/satellite_chaos_faults_total?type!=hang", null).bodyAsString()).isEqualTo("2");
    assertThat(admin("/metrics/satellite_chaos_faults?type=hang", null).bodyAsString()).as("a name is matched whole")
        .isEqualTo("0");
    HttpResponse<Buffer> none = admin("/metrics/satellite_no_such_metric", null);
    assertThat(none.bodyAsString()).isEqualTo("0");
    assertThat(none.getHeader("Satellite-Metric-Series")).isEqualTo("0");
    assertThat(new io.vertx.core.json.JsonObject("{\"v\":" + admin("/metrics/satellite_node_ready", null).bodyAsString() + "}")
        .getDouble("v")).isEqualTo(1.0);
  }

  @Test
  void helloIsAnsweredByTheHelloActorOverTheBus(Vertx vertx) throws Exception {
    start(vertx);
    AtomicInteger toHello = new AtomicInteger();
    node.vertx().eventBus().addOutboundInterceptor(dc -> {
      // the address itself, or the private address of the instance on the gateway's own event loop
      String to = dc.message().address();
      if (to.equals("hello") || to.startsWith("satellite.instance.hello.")) {
        toHello.incrementAndGet();
      }
      dc.next();
    });
    HttpResponse<Buffer> hello = get("/hello");
    assertThat(hello.statusCode()).isEqualTo(200);
    assertThat(hello.getHeader("content-type")).startsWith("text/plain");
    assertThat(hello.bodyAsString()).isEqualTo("Hello, World!");
    assertThat(toHello).hasValue(1);
  }

  @Test
  void unknownPathIs404ProblemJson(Vertx vertx) throws Exception {
    start(vertx);
    assertProblem(get("/no/such/path"), 404, node.config().nodeId());
  }

  @Test
  void wrongMethodIs405ProblemJsonWithAllow(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<Buffer> response = call(HttpMethod.DELETE, false, "/hello", r -> r);
    assertProblem(response, 405, node.config().nodeId());
    assertThat(response.getHeader("Allow")).as("HEAD wherever GET (RFC 9110 §9.3.2)").isEqualTo("GET, HEAD");
  }

  @Test
  void requestIdIsEchoedOrGenerated(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<Buffer> given = call(HttpMethod.GET, false, "/hello", r -> r.putHeader("X-Request-Id", "abc-123"));
    assertThat(given.getHeader("X-Request-Id")).isEqualTo("abc-123");
    HttpResponse<Buffer> generated = get("/hello");
    assertThat(generated.getHeader("X-Request-Id")).matches("[0-9a-f]{32}");
    HttpResponse<Buffer> forged = call(HttpMethod.GET, false, "/nope", r -> r.putHeader("X-Request-Id", "a b\"c"));
    assertThat(forged.getHeader("X-Request-Id")).matches("[0-9a-f]{32}");
    assertThat(forged.bodyAsJsonObject().getString("requestId")).isEqualTo(forged.getHeader("X-Request-Id"));
  }

  @Test
  void adminApiIsOffWithoutAToken(Vertx vertx) throws Exception {
    start(vertx);
    assertProblem(admin("/admin/info", null), 404, node.config().nodeId());
    assertProblem(admin("/admin/info", "Bearer anything"), 404, node.config().nodeId());
  }

  @Test
  void adminApiNeedsTheBearerTokenForEveryPath(Vertx vertx) throws Exception {
    start(vertx, "admin.token=" + TOKEN);
    String id = node.config().nodeId();
    assertProblem(admin("/admin/info", null), 401, id);
    assertProblem(admin("/admin/info", "Bearer wrong"), 401, id);
    assertProblem(admin("/admin/info", "Basic " + TOKEN), 401, id);
    assertProblem(admin("/admin/does-not-exist", null), 401, id);
    assertThat(admin("/admin/info", null).getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertProblem(admin("/admin/does-not-exist", "Bearer " + TOKEN), 404, id);
  }

  @Test
  void adminInfoShowsNodeVersionUptimeAndRedactedConfig(Vertx vertx) throws Exception {
    start(vertx, "admin.token=" + TOKEN);
    HttpResponse<Buffer> info = admin("/admin/info", "Bearer " + TOKEN);
    assertThat(info.statusCode()).isEqualTo(200);
    JsonObject body = info.bodyAsJsonObject();
    assertThat(body.getString("node")).isEqualTo(node.config().nodeId());
    assertThat(body.getString("version")).isNotBlank().isNotEqualTo("unknown");
    assertThat(body.getLong("uptimeSeconds")).isGreaterThanOrEqualTo(0);
    JsonObject config = body.getJsonObject("config");
    assertThat(config.getJsonObject("admin").getString("token")).isEqualTo("***");
    assertThat(config.getJsonObject("node").getString("id")).isEqualTo(node.config().nodeId());
    assertThat(info.bodyAsString()).doesNotContain(TOKEN);
    // one type per key, whatever layer set it: the harness sets the ports with --set, as text
    assertThat(config.getJsonObject("http").getValue("port")).isInstanceOf(Integer.class)
        .isEqualTo(node.config().http().port());
    assertThat(config.getJsonObject("http").getValue("instances")).isEqualTo(1);
    assertThat(config.getJsonObject("admin").getValue("port")).isInstanceOf(Integer.class);
    assertThat(config.getJsonObject("chaos").getValue("enabled")).isEqualTo(false);
  }

  @Test
  void metricsArePrometheusTextWithoutAuth(Vertx vertx) throws Exception {
    start(vertx, "admin.token=" + TOKEN);
    get("/hello");
    // a route records a request when its response has ended, which may be just after the client has it
    HttpResponse<Buffer> metrics = admin("/metrics", null);
    for (int i = 0; i < 50 && !metrics.bodyAsString().contains("satellite_edge_requests_total{outcome=\"ok\",route=\"/hello\"} 1.0"); i++) {
      TimeUnit.MILLISECONDS.sleep(20);
      metrics = admin("/metrics", null);
    }
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.getHeader("content-type")).startsWith("text/plain");
    assertThat(metrics.bodyAsString())
        .contains("satellite_edge_requests_total{outcome=\"ok\",route=\"/hello\"} 1.0")
        .contains("satellite_edge_request_duration_seconds_bucket{route=\"/hello\"")
        .contains("vertx_http_server_active_connections")
        .contains("vertx_http_server_bytes_written_total")
        .contains("jvm_memory_used_bytes")
        .contains("jvm_gc_")
        .contains("jvm_threads_live_threads")
        .contains("process_cpu_usage")
        .contains("satellite_node_ready 1.0")
        // Vert.x's per-request and per-message meters are off by default: a registry lookup each
        .doesNotContain("vertx_http_server_requests_total")
        .doesNotContain("vertx_eventbus_");
  }

  @Test
  void metricNamesKeepPrometheusConventions(Vertx vertx) throws Exception {
    start(vertx);
    get("/hello");
    String metrics = admin("/metrics", null).bodyAsString();
    java.util.Map<String, String> types = new java.util.HashMap<>();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        types.put(parts[2], parts[3]);
      }
    }
    assertThat(types).isNotEmpty();
    types.forEach((name, type) -> {
      // what promtool's lint reports: units other than the base ones, and counter-ish suffixes on other types
      assertThat(name).as(name).doesNotContainPattern("_(ms|milliseconds|ns|nanoseconds|us|microseconds)(_|$)");
      if (!type.equals("counter") && !type.equals("histogram") && !type.equals("summary")) {
        assertThat(name).as("%s is a %s", name, type).doesNotEndWith("_count").doesNotEndWith("_total");
      }
    });
    assertThat(types).containsEntry("process_cpu_seconds_total", "counter").containsEntry("system_cpus", "gauge")
        .containsKey("jvm_compilation_seconds_total");
  }

  @Test
  void vertxRequestAndEventBusMetersCanBeSwitchedOn(Vertx vertx) throws Exception {
    start(vertx, "metrics.eventBus=true", "metrics.httpRequests=true");
    assertThat(get("/hello").statusCode()).isEqualTo(200);
    String metrics = admin("/metrics", null).bodyAsString();
    for (int i = 0; i < 50 && !metrics.contains("vertx_http_server_requests_total"); i++) {
      TimeUnit.MILLISECONDS.sleep(20);
      metrics = admin("/metrics", null).bodyAsString();
    }
    assertThat(metrics).contains("vertx_http_server_requests_total").contains("vertx_eventbus_")
        .contains("satellite_edge_requests_total");
  }
}
