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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client must never be able to end a node: with the default config, every actor behind a route crashing on every
 * request, a minute of steady traffic on many connections does not make the root supervisor give up — each route's
 * breaker contains its poison, probes the actor less and less often, and the node keeps serving what is not
 * poisoned. (With the breaker switched off the same crash loop ends the process with 70: {@link SupervisionIT}.)
 */
class ShieldIT {

  private static final String TOKEN = "shield-it";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  /** How long the attack lasts: long enough for several half-open probes of every breaker (5 s, 10 s, 20 s …). */
  private static final Duration ATTACK = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private static HttpResponse<String> admin(NodeProcess node, String method, String path, String body) throws Exception {
    return node.admin(TOKEN, method, path, body);
  }

  private static double metric(String metrics, String name, String labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void aMinuteOfPoisonOnEveryActorRouteDoesNotEndTheNode() throws Exception {
    int http = TestConfigs.freePort();
    int adminPort = TestConfigs.freePort();
    Map<String, String> env = Map.of("SATELLITE_HTTP_HOST", "127.0.0.1", "SATELLITE_HTTP_PORT", String.valueOf(http),
        "SATELLITE_ADMIN_PORT", String.valueOf(adminPort), "SATELLITE_ADMIN_TOKEN", TOKEN,
        "SATELLITE_CHAOS_ENABLED", "true",
        // the built-in routes, with their default policies, and one that no actor answers
        "SATELLITE_ROUTES", "[{path: /hello, methods: [GET], actor: hello}, {path: /whoami, methods: [GET], actor: whoami},"
            + " {path: /echo, methods: [POST], actor: echo}, {path: /ok, methods: [GET], respond: ok}]");
    try (NodeProcess node = NodeProcess.start(dir, env, http, adminPort, "run")) {
      node.awaitReady(Duration.ofSeconds(30));
      for (String actor : List.of("hello", "whoami", "echo")) {
        assertThat(admin(node, "POST", "/admin/chaos/faults",
            "{\"type\":\"crash\",\"target\":\"" + actor + "\",\"count\":1000000}").statusCode()).isEqualTo(201);
      }
      Load poison = new Load();
      Load healthy = new Load();
      Thread healthyTraffic = new Thread(() -> {
        try {
          healthy.run(http, List.of("/ok"), 4, Duration.ofMillis(200), ATTACK, 10_000, () -> !node.process().isAlive());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      healthyTraffic.start();
      poison.run(http, List.of("/hello", "/whoami", "/echo"), 24, Duration.ofMillis(100), ATTACK, 50_000,
          () -> !node.process().isAlive());
      healthyTraffic.join();
      assertThat(node.process().isAlive()).as("the node is alive after %s of poison: %s", ATTACK, node.output()).isTrue();

      String metrics = node.send(adminPort, "/metrics", Map.of()).body();
      System.out.printf("shield: poison %s, healthy %s, crashes hello %.0f whoami %.0f echo %.0f%n", poison, healthy,
          metric(metrics, "satellite_supervisor_crashes_total", "child=\"hello\",reason=\"poison\",supervisor=\"root\""),
          metric(metrics, "satellite_supervisor_crashes_total", "child=\"whoami\",reason=\"poison\",supervisor=\"root\""),
          metric(metrics, "satellite_supervisor_crashes_total", "child=\"echo\",reason=\"poison\",supervisor=\"root\""));

      assertThat(poison.count(-1)).as("no connection refused or reset").isZero();
      assertThat(poison.count(200)).as("every poisoned request was refused").isZero();
      assertThat(poison.count(503)).isEqualTo(poison.total()).isGreaterThan(2000);
      assertThat(healthy.count(200)).as("what is not poisoned is served all along").isEqualTo(healthy.total())
          .isGreaterThan(200);
      for (String route : List.of("/hello", "/whoami", "/echo")) {
        String child = route.substring(1);
        assertThat(metric(metrics, "satellite_supervisor_crashes_total",
            "child=\"" + child + "\",reason=\"poison\",supervisor=\"root\"")).as("crashes of %s", child)
            .isGreaterThanOrEqualTo(4);
        // opened, then opened again by failed probes, each time waiting longer
        assertThat(metric(metrics, "satellite_breaker_transitions_total", "route=\"" + route + "\",state=\"open\""))
            .as("openings of the breaker of %s", route).isGreaterThanOrEqualTo(3);
      }
      assertThat(metrics).doesNotContain("satellite_supervisor_gave_up_total{");
      JsonObject tree = new JsonObject(admin(node, "GET", "/admin/supervision", null).body());
      assertThat(tree.getString("state")).isEqualTo("running");
      assertThat(tree.getInteger("recentCrashes")).as("no crash counted towards the restart intensity").isZero();
      assertThat(node.get("/health/ready").statusCode()).isEqualTo(200);
    }
  }
}
