package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clustered nodes as real processes from the jar: both serve /whoami; a killed or frozen node stops
 * costing requests within seconds; a thawed node that was frozen past cluster.maxPause exits 70, never half-alive.
 */
class ClusterIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
  private static final String TOKEN = "cluster-it";

  @TempDir
  Path dir;

  private NodeProcess a;
  private NodeProcess b;

  @BeforeEach
  void startTwoNodes() throws Exception {
    String cluster = "it-" + UUID.randomUUID().toString().substring(0, 8);
    a = start("node-a", cluster);
    a.awaitReady(Duration.ofSeconds(60));
    b = start("node-b", cluster);
    b.awaitReady(Duration.ofSeconds(60));
  }

  @AfterEach
  void stopNodes() throws Exception {
    if (b != null) {
      signal("CONT", b.pid());
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  private NodeProcess start(String id, String cluster) throws IOException {
    int http = TestConfigs.freePort();
    int admin = TestConfigs.freePort();
    Map<String, String> env = Map.of("SATELLITE_NODE_ID", id, "SATELLITE_CLUSTER_NAME", cluster,
        "SATELLITE_HTTP_HOST", "127.0.0.1", "SATELLITE_HTTP_PORT", String.valueOf(http),
        "SATELLITE_ADMIN_PORT", String.valueOf(admin), "SATELLITE_ADMIN_TOKEN", TOKEN);
    return NodeProcess.start(dir, env, http, admin, "run", "--cluster");
  }

  private static void signal(String name, long pid) throws Exception {
    new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor();
  }

  /** The node that answered a /whoami on {@code node}, or null when the call failed. */
  private static String whoami(NodeProcess node) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + "/whoami"))
          .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? new JsonObject(r.body()).getString("node") : null;
    } catch (Exception e) {
      return null;
    }
  }

  /** What calls to the survivor saw around the signal: which nodes answered before it, when the last one failed. */
  private record Window(Set<String> answeredBefore, int failures, long lastFailureMs, Set<String> answeredAtTheEnd) {
  }

  /**
   * Calls /whoami on the survivor for {@code window}, signalling the victim after one second.
   */
  private Window around(String signal, Duration window) throws Exception {
    long start = System.nanoTime();
    long signalled = -1;
    long lastFailure = -1;
    int failures = 0;
    Set<String> before = new HashSet<>();
    Set<String> atTheEnd = new HashSet<>();
    while (System.nanoTime() - start < window.toNanos()) {
      if (signalled < 0 && System.nanoTime() - start > 1_000_000_000L) {
        signal(signal, b.pid());
        signalled = System.nanoTime();
      }
      String node = whoami(a);
      if (node == null) {
        assertThat(signalled).as("no failure before the signal").isPositive();
        failures++;
        lastFailure = System.nanoTime();
      } else if (signalled < 0) {
        before.add(node);
      } else if (System.nanoTime() - start > window.toNanos() - 1_000_000_000L) {
        atTheEnd.add(node);
      }
      Thread.sleep(10);
    }
    return new Window(before, failures, lastFailure < 0 ? 0 : (lastFailure - signalled) / 1_000_000, atTheEnd);
  }

  @Test
  void bothNodesServeWhoamiFromEitherNode() throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> r = a.get("/whoami");
      assertThat(r.statusCode()).isEqualTo(200);
      seen.add(new JsonObject(r.body()).getString("node"));
    }
    assertThat(seen).containsExactlyInAnyOrder("node-a", "node-b");
  }

  @Test
  void aKilledNodeStopsCostingRequestsWithinTwoSeconds() throws Exception {
    Window w = around("KILL", Duration.ofSeconds(6));
    assertThat(w.answeredBefore()).as("both nodes were serving when one was killed").containsExactlyInAnyOrder("node-a", "node-b");
    assertThat(w.lastFailureMs()).as("ms from kill -9 to the last failed request (%d failures)", w.failures())
        .isLessThan(2000);
    assertThat(w.answeredAtTheEnd()).containsExactly("node-a");
  }

  @Test
  void aFrozenNodeStopsCostingRequestsWithinFiveSecondsAndExits70WhenThawed() throws Exception {
    Window w = around("STOP", Duration.ofSeconds(10));
    assertThat(w.answeredBefore()).containsExactlyInAnyOrder("node-a", "node-b");
    assertThat(w.lastFailureMs()).as("ms from SIGSTOP to the last failed request").isLessThan(5000);
    assertThat(w.answeredAtTheEnd()).containsExactly("node-a");

    // frozen ~9 s, past cluster.maxPause (4 s): the cluster moved on without it, so it must not carry on
    signal("CONT", b.pid());
    assertThat(b.awaitExit(Duration.ofSeconds(20))).isEqualTo(70);
    assertThat(b.output()).contains("FATAL removed from the cluster");
    for (int i = 0; i < 20; i++) {
      assertThat(whoami(a)).as("the survivor keeps serving").isEqualTo("node-a");
    }
  }

  @Test
  void adminClusterListsBothMembersAndTheirActors() throws Exception {
    HttpResponse<String> r = a.send(a.adminPort, "/admin/cluster", Map.of("Authorization", "Bearer " + TOKEN));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject cluster = new JsonObject(r.body());
    assertThat(cluster.getString("node")).isEqualTo("node-a");
    assertThat(cluster.getBoolean("clustered")).isTrue();
    Map<String, JsonObject> members = new java.util.HashMap<>();
    for (Object m : cluster.getJsonArray("members")) {
      JsonObject member = (JsonObject) m;
      members.put(member.getString("id"), member);
    }
    assertThat(members).containsOnlyKeys("node-a", "node-b");
    for (JsonObject member : members.values()) {
      assertThat(member.getJsonArray("actors").getList()).containsExactlyInAnyOrder("hello", "whoami", "echo");
    }
    assertThat(members.get("node-a").getBoolean("local")).isTrue();
    assertThat(members.get("node-b").getBoolean("local")).isFalse();
    assertThat(cluster.getJsonObject("ejected")).isEmpty();
    assertThat(a.send(a.adminPort, "/metrics", Map.of()).body()).contains("satellite_cluster_members 2.0");
  }
}
