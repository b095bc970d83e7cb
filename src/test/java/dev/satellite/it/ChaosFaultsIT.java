package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.TestConfigs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault catalogue of the built jar, through the admin API: each type acts, lists its time left, and reverts. */
class ChaosFaultsIT {

  private static final String TOKEN = "it-token";

  @TempDir
  Path dir;

  private NodeProcess start(String... sets) throws Exception {
    int http = TestConfigs.freePort();
    int admin = TestConfigs.freePort();
    Map<String, String> env = Map.of("SATELLITE_HTTP_PORT", String.valueOf(http), "SATELLITE_ADMIN_PORT", String.valueOf(admin),
        "SATELLITE_HTTP_HOST", "127.0.0.1", "SATELLITE_ADMIN_TOKEN", TOKEN, "SATELLITE_CHAOS_ENABLED", "true");
    List<String> args = new ArrayList<>(List.of("run"));
    for (String s : sets) {
      args.addAll(List.of("--set", s));
    }
    NodeProcess node = NodeProcess.start(dir, env, http, admin, args.toArray(String[]::new));
    node.awaitReady(Duration.ofSeconds(30));
    return node;
  }

  private static JsonObject inject(NodeProcess node, String fault) throws Exception {
    HttpResponse<String> r = node.admin(TOKEN, "POST", "/admin/chaos/faults", fault);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body());
  }

  private static JsonArray active(NodeProcess node) throws Exception {
    return new JsonObject(node.admin(TOKEN, "GET", "/admin/chaos/faults", null).body()).getJsonArray("faults");
  }

  private static double metric(NodeProcess node, String name, String labels) throws Exception {
    String text = node.send(node.adminPort, "/metrics", Map.of()).body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(text);
    double sum = 0;
    while (m.find()) {
      if (m.group(1).contains(labels)) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  @Test
  void latencyAndErrorsActOnTheirTargetUntilOneDeleteRevertsEveryFault() throws Exception {
    try (NodeProcess node = start()) {
      JsonObject slow = inject(node, "{\"type\":\"latency\",\"target\":\"route:/hello\",\"delayMs\":300,\"durationMs\":60000}");
      assertThat(slow.getString("target")).isEqualTo("route:/hello");
      assertThat(slow.getLong("seed")).as("a drawn seed is reported, so the run can be repeated").isNotNull();
      long t0 = System.nanoTime();
      assertThat(node.get("/hello").statusCode()).isEqualTo(200);
      assertThat((System.nanoTime() - t0) / 1_000_000).as("ms for /hello with 300 ms injected").isGreaterThanOrEqualTo(300);

      inject(node, "{\"type\":\"error\",\"target\":\"route:/whoami\",\"status\":503}");
      HttpResponse<String> refused = node.get("/whoami");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("content-type")).contains("application/problem+json");
      assertThat(new JsonObject(refused.body()).getString("type")).endsWith("chaos-injected");

      inject(node, "{\"type\":\"error\",\"target\":\"echo\",\"code\":500,\"probability\":1,\"seed\":3}");
      HttpResponse<String> failed = node.send(node.httpPort, "/echo", Map.of());
      assertThat(failed.statusCode()).as("POST /echo answered by an actor error fault").isGreaterThanOrEqualTo(400);

      JsonArray listed = active(node);
      assertThat(listed).hasSize(3);
      assertThat(listed.getJsonObject(0).getLong("remainingMs")).isBetween(1L, 60_000L);

      HttpResponse<String> all = node.admin(TOKEN, "DELETE", "/admin/chaos/faults", null);
      assertThat(all.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(all.body()).getJsonArray("reverted")).hasSize(3);
      assertThat(active(node)).isEmpty();
      assertThat(node.get("/whoami").statusCode()).isEqualTo(200);
      long t1 = System.nanoTime();
      assertThat(node.get("/hello").statusCode()).isEqualTo(200);
      assertThat((System.nanoTime() - t1) / 1_000_000).as("no latency once reverted").isLessThan(300);

      assertThat(metric(node, "satellite_chaos_faults_total", "type=\"latency\"")).isEqualTo(1);
      assertThat(metric(node, "satellite_chaos_faults_total", "type=\"error\"")).isEqualTo(2);
      assertThat(metric(node, "satellite_chaos_faults_reverted_total", "reason=\"deleted\"")).isEqualTo(3);
      assertThat(node.output()).contains("chaos: injected f1 latency on route:/hello (seed ").contains("chaos: reverted f3 error");

      HttpResponse<String> bad = node.admin(TOKEN, "POST", "/admin/chaos/faults", "{\"type\":\"latency\",\"target\":\"route:/nope\"}");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(new JsonObject(bad.body()).getString("detail")).contains("'target' route:/nope is unknown")
          .contains("'delayMs' is required");
    }
  }

  @Test
  void theAuditTrailStaysOnWhenTheLogIsTurnedDownToWarnings() throws Exception {
    try (NodeProcess node = start("log.level=WARN")) {
      JsonObject fault = inject(node, "{\"type\":\"latency\",\"target\":\"hello\",\"delayMs\":1}");
      assertThat(node.admin(TOKEN, "DELETE", "/admin/chaos/faults/" + fault.getString("id"), null).statusCode())
          .isEqualTo(204);
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < until && !node.output().contains("\"action\":\"DELETE /admin/chaos/faults/")) {
        Thread.sleep(50);
      }
      String out = node.output();
      assertThat(out).contains("satellite.audit", "\"action\":\"POST /admin/chaos/faults\"",
          "\"action\":\"DELETE /admin/chaos/faults/" + fault.getString("id") + "\"", "\"token\":\"admin\"");
      assertThat(out.lines().filter(l -> l.contains(" INFO ")))
          .as("log.level=WARN holds for the rest").isNotEmpty().allMatch(l -> l.contains(" satellite.audit - "));
      assertThat(out).doesNotContain(TOKEN);
    }
  }

  @Test
  void heapAndCpuFaultsHoldWhatTheySayAndLetGoWhenTheirTimeIsUp() throws Exception {
    try (NodeProcess node = start()) {
      inject(node, "{\"type\":\"memory-pressure\",\"fraction\":0.3,\"durationMs\":3000}");
      inject(node, "{\"type\":\"cpu-burn\",\"threads\":1,\"durationMs\":1500}");
      long held = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (held == 0 && System.nanoTime() < deadline) {
        JsonArray faults = active(node);
        held = faults.isEmpty() ? 0 : faults.getJsonObject(0).getLong("heldBytes", 0L);
        Thread.sleep(50);
      }
      assertThat(held).as("30 %% of a 256 MiB heap, in 1 MiB blocks").isBetween(60L << 20, 80L << 20);
      assertThat(node.get("/hello").statusCode()).isEqualTo(200);
      deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
      while (!active(node).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(active(node)).isEmpty();
      Thread.sleep(500);
      assertThat(metric(node, "satellite_chaos_faults_reverted_total", "reason=\"expired\"")).isEqualTo(2);
      assertThat(node.process().isAlive()).isTrue();
    }
  }

  @Test
  void aShortBlockedLoopIsSurvivedAndOneLongerThanMaxLoopBlockEndsTheNodeWith70() throws Exception {
    try (NodeProcess node = start("supervision.maxLoopBlock=1500ms")) {
      inject(node, "{\"type\":\"block-event-loop\",\"durationMs\":400}");
      Thread.sleep(800);
      assertThat(node.send(node.adminPort, "/health/live", Map.of()).statusCode()).isEqualTo(200);
      assertThat(node.get("/hello").statusCode()).isEqualTo(200);
      inject(node, "{\"type\":\"block-event-loop\",\"durationMs\":10000}");
      assertThat(node.awaitExit(Duration.ofSeconds(15))).isEqualTo(70);
      assertThat(node.output()).contains("wedged");
    }
  }

  @Test
  void anExitFaultHaltsTheProcessLikeAKillWithoutDraining() throws Exception {
    try (NodeProcess node = start()) {
      inject(node, "{\"type\":\"exit\",\"delayMs\":2000}");
      assertThat(node.get("/hello").statusCode()).as("serving until the halt").isEqualTo(200);
      assertThat(node.awaitExit(Duration.ofSeconds(10))).isEqualTo(137);
      assertThat(node.output()).contains("halts the process now with exit code 137").doesNotContain("shutting down");
    }
  }

  @Test
  void theMonkeyKeepsCrashingInstancesAndSupervisionKeepsReplacingThem() throws Exception {
    // 10 crashes a minute over hello's instances for 30 s, under traffic from 8 clients: gaps of at least 3 s put at
    // most 4 in any 10 s, below the root's intensity (5), so every crash is repaired and the node stays
    try (NodeProcess node = start("chaos.monkey.enabled=true", "chaos.monkey.crashesPerMinute=10", "chaos.monkey.targets=hello",
        "chaos.monkey.seed=11")) {
      ExecutorService clients = Executors.newFixedThreadPool(8);
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      List<Future<int[]>> results = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        results.add(clients.submit(() -> {
          int[] counts = new int[2];
          while (System.nanoTime() < end) {
            int status = node.get("/hello").statusCode();
            counts[status == 200 ? 0 : 1]++;
            Thread.sleep(5);
          }
          return counts;
        }));
      }
      int ok = 0;
      int failed = 0;
      for (Future<int[]> f : results) {
        ok += f.get()[0];
        failed += f.get()[1];
      }
      clients.shutdown();
      double crashes = metric(node, "satellite_chaos_monkey_crashes_total", "actor=\"hello\"");
      assertThat(crashes).as("about 5 in 30 s").isBetween(3.0, 11.0);
      assertThat(node.process().isAlive()).isTrue();
      JsonObject tree = new JsonObject(node.admin(TOKEN, "GET", "/admin/supervision", null).body());
      assertThat(tree.getJsonArray("children").getJsonObject(0).getInteger("restarts")).isGreaterThanOrEqualTo((int) crashes);
      assertThat(failed).as("failed of %d requests (a crash fails only what the instance held)", ok + failed)
          .isLessThanOrEqualTo((ok + failed) / 100);
      assertThat(node.output()).contains("the monkey crashes 10.0 actor instances a minute (targets [hello], seed 11)");
    }
  }
}
