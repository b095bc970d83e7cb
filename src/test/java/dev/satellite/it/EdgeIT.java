package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edge policies of the built jar as real processes: a cluster-wide rate limit, a dead upstream, a key flood. */
class EdgeIT {

  private static final String TOKEN = "edge-it";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  Path dir;

  private NodeProcess start(Map<String, String> extra, String... args) throws Exception {
    int http = TestConfigs.freePort();
    int admin = TestConfigs.freePort();
    Map<String, String> env = new HashMap<>(Map.of("SATELLITE_HTTP_HOST", "127.0.0.1", "SATELLITE_HTTP_PORT",
        String.valueOf(http), "SATELLITE_ADMIN_PORT", String.valueOf(admin), "SATELLITE_ADMIN_TOKEN", TOKEN));
    env.putAll(extra);
    NodeProcess node = NodeProcess.start(dir, env, http, admin, args);
    node.awaitReady(Duration.ofSeconds(60));
    return node;
  }

  private static JsonObject route(NodeProcess node, String name) throws Exception {
    JsonObject edges = new JsonObject(node.send(node.adminPort, "/admin/edges", Map.of("Authorization", "Bearer " + TOKEN)).body());
    for (Object r : edges.getJsonArray("routes")) {
      if (((JsonObject) r).getString("route").equals(name)) {
        return (JsonObject) r;
      }
    }
    throw new AssertionError("no route " + name);
  }

  private static int status(int port, String path, Map<String, String> headers) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5));
      headers.forEach(b::header);
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void twoNodesShareAClusterWideLimit() throws Exception {
    String cluster = "edge-it-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = Map.of("SATELLITE_CLUSTER_NAME", cluster,
        "SATELLITE_ROUTES", "[{path: /limited, methods: [GET], actor: hello, rateLimit: {rps: 50, burst: 50, scope: cluster}}]");
    try (NodeProcess a = start(env, "run", "--cluster", "--set", "node.id=limit-a");
        NodeProcess b = start(env, "run", "--cluster", "--set", "node.id=limit-b")) {
      AtomicInteger admitted = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      long t0 = System.nanoTime();
      long window = Duration.ofSeconds(10).toNanos();
      List<CompletableFuture<Void>> loaders = new ArrayList<>();
      for (NodeProcess node : List.of(a, b)) {
        for (int worker = 0; worker < 2; worker++) {
          loaders.add(CompletableFuture.runAsync(() -> {
            while (System.nanoTime() - t0 < window) {
              int s = status(node.httpPort, "/limited", Map.of());
              if (s == 200) {
                admitted.incrementAndGet();
              } else if (s == 429) {
                refused.incrementAndGet();
              }
            }
          }));
        }
      }
      CompletableFuture.allOf(loaders.toArray(CompletableFuture[]::new)).get();
      double seconds = (System.nanoTime() - t0) / 1e9;
      double expected = 50 + 50 * seconds; // the burst, then the refill, for both nodes together
      assertThat(refused.get()).as("the limit was reached").isPositive();
      // each node decides on a local copy of the shared bucket between synchronizations: a bounded excess
      assertThat((double) admitted.get()).as("admitted over %.1f s by two nodes", seconds)
          .isBetween(expected * 0.9, expected * 1.1);
      for (NodeProcess node : List.of(a, b)) {
        JsonObject limit = route(node, "/limited").getJsonObject("rateLimit");
        assertThat(limit.getLong("decidedLocally")).as("decisions without a round trip to the bucket's owner: %s", limit)
            .isGreaterThan(4 * limit.getLong("waitedForCluster"));
      }
    }
  }

  @Test
  void anUpstreamThatRefusesConnectionsOpensTheBreakerAndLaterCallsFailFast() throws Exception {
    int closed = TestConfigs.freePort(); // nothing listens there
    try (NodeProcess node = start(Map.of("SATELLITE_ROUTES", "[{path: /down/*, upstream: 'http://127.0.0.1:" + closed
        + "', breaker: {maxFailures: 3, resetTimeout: 30s}, retry: {attempts: 1}}]"), "run")) {
      for (int i = 0; i < 3; i++) {
        assertThat(status(node.httpPort, "/down/x", Map.of())).isEqualTo(502);
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        assertThat(status(node.httpPort, "/down/x", Map.of())).isEqualTo(503);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("20 refusals").isLessThan(Duration.ofSeconds(2));
      JsonObject breaker = route(node, "/down/*").getJsonObject("breaker");
      assertThat(breaker.getString("state")).isEqualTo("open");
      assertThat(breaker.getLong("refused")).isEqualTo(20L);
    }
  }

  @Test
  void aFloodOfDistinctClientAddressesKeepsTheKeySpaceBounded() throws Exception {
    try (NodeProcess node = start(Map.of("SATELLITE_ROUTES",
        "[{path: /keyed, methods: [GET], actor: hello, rateLimit: {rps: 100, burst: 100, key: ip}}]",
        "SATELLITE_EDGE_TRUSTED_PROXIES", "[127.0.0.1]", "SATELLITE_EDGE_RATE_LIMIT_KEYS", "500"), "run")) {
      List<CompletableFuture<Void>> workers = new ArrayList<>();
      AtomicInteger next = new AtomicInteger();
      AtomicInteger ok = new AtomicInteger();
      for (int w = 0; w < 8; w++) {
        workers.add(CompletableFuture.runAsync(() -> {
          int i;
          while ((i = next.getAndIncrement()) < 5000) {
            String ip = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
            if (status(node.httpPort, "/keyed", Map.of("X-Forwarded-For", ip)) == 200) {
              ok.incrementAndGet();
            }
          }
        }));
      }
      CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get();
      assertThat(ok.get()).as("every new address has a full bucket").isEqualTo(5000);
      JsonObject limit = route(node, "/keyed").getJsonObject("rateLimit");
      assertThat(limit.getInteger("keys")).isLessThanOrEqualTo(500);
      assertThat(limit.getLong("keysEvicted")).isGreaterThanOrEqualTo(4500L);
    }
  }
}
