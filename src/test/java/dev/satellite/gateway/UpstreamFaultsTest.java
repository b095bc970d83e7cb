package dev.satellite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.chaos.FaultSpec;
import dev.satellite.support.NodeHarness;
import dev.satellite.support.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Faults aimed at a route's upstream act after the route's policies: its breaker, retries and deadline see them. */
@ExtendWith(VertxExtension.class)
@Timeout(60_000)
class UpstreamFaultsTest {

  private NodeHarness h;
  private TestUpstream upstream;

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
    if (upstream != null) {
      NodeHarness.await(upstream.close());
    }
  }

  private void start(Vertx vertx, String route) throws Exception {
    upstream = new TestUpstream();
    int up = NodeHarness.await(upstream.start(vertx));
    h = NodeHarness.start(vertx, "chaos.enabled=true", "routes=[{path: /up/*, upstream: 'http://127.0.0.1:" + up + "', "
        + route + "}, {path: /hello, methods: [GET], actor: hello}]");
  }

  private void inject(String json) {
    FaultSpec.Catalog catalog = FaultSpec.Catalog.of(Set.of("hello"), Map.of("/up/*", "/up/*", "/hello GET", "/hello"),
        Set.of("/up/*"));
    h.node.faults().inject(FaultSpec.parse(new JsonObject(json), catalog));
  }

  @Test
  void anInjected5xxCountsAsTheUpstreamsFailureAndOpensItsBreaker(Vertx vertx) throws Exception {
    start(vertx, "breaker: {maxFailures: 3, window: 10s, resetTimeout: 30s}, retry: {attempts: 1}");
    inject("{\"type\":\"error\",\"target\":\"upstream:/up/*\",\"status\":503}");
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> injected = h.get("/up/status");
      h.assertProblem(injected, 503);
      assertThat(injected.bodyAsJsonObject().getString("type")).endsWith("chaos-injected");
    }
    HttpResponse<Buffer> open = h.get("/up/status");
    h.assertProblem(open, 503);
    assertThat(open.bodyAsJsonObject().getString("type")).as("the breaker opened on the injected failures")
        .doesNotEndWith("chaos-injected");
    assertThat(open.getHeader("Retry-After")).isNotNull();
    assertThat(upstream.hits.get()).as("the real upstream was never called").isZero();
    assertThat(h.get("/hello").statusCode()).as("other routes are untouched").isEqualTo(200);
  }

  @Test
  void anInjected4xxIsAnsweredButIsNoFailureOfTheUpstreams(Vertx vertx) throws Exception {
    start(vertx, "breaker: {maxFailures: 2, window: 10s, resetTimeout: 30s}");
    inject("{\"type\":\"error\",\"target\":\"upstream:/up/*\",\"status\":429}");
    for (int i = 0; i < 4; i++) {
      assertThat(h.get("/up/status").statusCode()).isEqualTo(429);
    }
  }

  @Test
  void injectedLatencyAtTheUpstreamRunsDownTheRoutesDeadline(Vertx vertx) throws Exception {
    start(vertx, "timeout: 300ms, retry: {attempts: 1}");
    inject("{\"type\":\"latency\",\"target\":\"upstream:/up/*\",\"delayMs\":5000}");
    long t0 = System.nanoTime();
    h.assertProblem(h.get("/up/status"), 504);
    assertThat((System.nanoTime() - t0) / 1_000_000).as("answered at the 300 ms deadline, not after the 5 s delay")
        .isLessThan(2500);
    assertThat(upstream.hits.get()).isZero();
  }
}
