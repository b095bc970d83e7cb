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
 * costing requests within seconds; a thawed node exits 70 or is back in service, never half-alive.
 */
class ClusterIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();

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
        "SATELLITE_ADMIN_PORT", String.valueOf(admin));
    return NodeProcess.start(dir, env, http, admin, "run", "--cluster");
  }

  private static void signal(String name, long pid) throws Exception {
    new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor();
  }

  private static int whoamiStatus(NodeProcess node) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + "/whoami"))
          .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  /**
   * Calls /whoami on the survivor for {@code window}, signalling the victim after one second; returns the
   * milliseconds from the signal to the last failed call (0 when none failed).
   */
  private long lastFailureAfter(String signal, Duration window) throws Exception {
    long start = System.nanoTime();
    long signalled = -1;
    long lastFailure = -1;
    while (System.nanoTime() - start < window.toNanos()) {
      if (signalled < 0 && System.nanoTime() - start > 1_000_000_000L) {
        signal(signal, b.pid());
        signalled = System.nanoTime();
      }
      if (whoamiStatus(a) != 200) {
        lastFailure = System.nanoTime();
      }
      Thread.sleep(10);
    }
    assertThat(lastFailure < 0 || lastFailure > signalled).as("no failure before the signal").isTrue();
    return lastFailure < 0 ? 0 : (lastFailure - signalled) / 1_000_000;
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
    long lastFailureMs = lastFailureAfter("KILL", Duration.ofSeconds(6));
    assertThat(lastFailureMs).as("ms from kill -9 to the last failed request").isLessThan(2000);
  }

  @Test
  void aFrozenNodeStopsCostingRequestsWithinFiveSecondsAndExits70OrServesAfterThaw() throws Exception {
    long lastFailureMs = lastFailureAfter("STOP", Duration.ofSeconds(10));
    assertThat(lastFailureMs).as("ms from SIGSTOP to the last failed request").isLessThan(5000);

    signal("CONT", b.pid());
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (b.process().isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    if (b.process().isAlive()) {
      // back in service: ready, and answering through the cluster
      assertThat(b.get("/health/ready").statusCode()).isEqualTo(200);
      assertThat(b.get("/whoami").statusCode()).isEqualTo(200);
    } else {
      assertThat(b.process().exitValue()).isEqualTo(70);
      assertThat(b.output()).contains("FATAL removed from the cluster");
    }
    for (int i = 0; i < 20; i++) {
      assertThat(whoamiStatus(a)).as("the survivor keeps serving").isEqualTo(200);
    }
  }

  @Test
  void adminClusterListsBothMembersAndTheirActors() throws Exception {
    HttpResponse<String> r = a.send(a.adminPort, "/admin/cluster", Map.of());
    // the admin API is off without a token: only the metrics are public
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(a.send(a.adminPort, "/metrics", Map.of()).body()).contains("satellite_cluster_members 2.0");
  }
}
