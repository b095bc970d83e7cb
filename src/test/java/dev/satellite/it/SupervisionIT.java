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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash-fast supervision of the built jar: one crash is repaired by a fresh instance, a crash loop ends the process. */
class SupervisionIT {

  private static final String TOKEN = "it-token";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path dir;

  private NodeProcess start(String... args) throws Exception {
    int http = TestConfigs.freePort();
    int admin = TestConfigs.freePort();
    Map<String, String> env = Map.of("SATELLITE_HTTP_PORT", String.valueOf(http), "SATELLITE_ADMIN_PORT", String.valueOf(admin),
        "SATELLITE_HTTP_HOST", "127.0.0.1", "SATELLITE_ADMIN_TOKEN", TOKEN, "SATELLITE_CHAOS_ENABLED", "true");
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("run"));
    all.addAll(java.util.List.of(args));
    NodeProcess node = NodeProcess.start(dir, env, http, admin, all.toArray(String[]::new));
    node.awaitReady(Duration.ofSeconds(30));
    return node;
  }

  private static HttpResponse<String> admin(NodeProcess node, String method, String path, String body) throws Exception {
    return node.admin(TOKEN, method, path, body);
  }

  private static int helloRestarts(NodeProcess node) throws Exception {
    JsonObject tree = new JsonObject(admin(node, "GET", "/admin/supervision", null).body());
    return tree.getJsonArray("children").getJsonObject(0).getInteger("restarts");
  }

  @Test
  void oneCrashIsRepairedByAFreshInstance() throws Exception {
    try (NodeProcess node = start()) {
      assertThat(admin(node, "POST", "/admin/chaos/faults", "{\"type\":\"crash\",\"target\":\"hello\",\"count\":1}").statusCode())
          .isEqualTo(201);
      // the fault API reads bodies without file uploads: no directory appears where the node runs (a read-only root
      // filesystem on Kubernetes), and no blocking call was made on an event loop to create one
      assertThat(java.nio.file.Files.exists(dir.resolve("file-uploads"))).isFalse();
      assertThat(node.get("/hello").statusCode()).isEqualTo(503);
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (helloRestarts(node) < 1 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(helloRestarts(node)).isEqualTo(1);
      for (int i = 0; i < 10; i++) {
        var hello = node.get("/hello");
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("Hello, World!");
      }
      assertThat(node.process().isAlive()).isTrue();
    }
  }

  @Test
  void aCrashLoopOnARouteWithoutABreakerEndsTheProcessWithExitCode70() throws Exception {
    // without the route's breaker, which would contain the loop (ShieldIT): the crashes count, and the root gives up
    try (NodeProcess node = start("--set", "defaults.breaker.maxFailures=0")) {
      admin(node, "POST", "/admin/chaos/faults", "{\"type\":\"crash\",\"target\":\"hello\",\"count\":100000}");
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (node.process().isAlive() && System.nanoTime() < deadline) {
        try {
          node.get("/hello");
        } catch (java.io.IOException gone) {
          break; // the process is exiting
        }
      }
      assertThat(node.awaitExit(Duration.ofSeconds(10))).isEqualTo(70);
      assertThat(node.output()).contains("FATAL supervisor 'root' gave up after 6 crashes in 10s: child 'hello'");
    }
  }
}
