package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.TestCerts;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on the event bus, from the jar: two nodes with certificates of one CA serve each other's actors; a third
 * node that joins the same Hazelcast cluster (whose own traffic has no TLS) with a certificate of another CA can
 * neither reach their actors nor be reached by them — every request through it is served by itself alone, and the
 * others eject it and never route to it.
 */
class ClusterTlsIT {

  private static final String TOKEN = "tls-it-token";

  @TempDir
  Path dir;

  private final String cluster = "tls-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<NodeProcess> nodes = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (NodeProcess n : nodes) {
      n.close();
    }
  }

  private NodeProcess start(String id, TestCerts ca) throws Exception {
    TestCerts.Issued mine = ca.issue(id, dir);
    NodeProcess n = NodeProcess.startClustered(dir, cluster, id, Map.of("SATELLITE_ADMIN_TOKEN", TOKEN,
        "SATELLITE_CLUSTER_TLS_ENABLED", "true", "SATELLITE_CLUSTER_TLS_CERT", mine.cert().toString(),
        "SATELLITE_CLUSTER_TLS_KEY", mine.key().toString(), "SATELLITE_CLUSTER_TLS_CA", ca.writeCa(dir).toString()));
    nodes.add(n);
    n.awaitReady(Duration.ofSeconds(60));
    return n;
  }

  /** The nodes that answered {@code n} calls of /whoami through {@code node}; a failed call adds its status and body. */
  private static Set<String> answering(NodeProcess node, int n) throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = node.get("/whoami");
      seen.add(r.statusCode() == 200 ? new JsonObject(r.body()).getString("node") : r.statusCode() + " " + r.body());
    }
    return seen;
  }

  private static Set<String> members(NodeProcess node) throws Exception {
    Set<String> ids = new HashSet<>();
    for (Object m : new JsonObject(node.admin(TOKEN, "GET", "/admin/cluster", null).body()).getJsonArray("members")) {
      ids.add(((JsonObject) m).getString("id"));
    }
    return ids;
  }

  @Test
  void onlyNodesWithACertificateOfTheClustersCaUseTheBus() throws Exception {
    TestCerts ours = TestCerts.authority("ours");
    TestCerts theirs = TestCerts.authority("theirs");
    NodeProcess a = start("node-a", ours);
    NodeProcess b = start("node-b", ours);
    // the first calls open the bus's connections (a TLS handshake each, in JVMs not yet warm)
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!answering(a, 10).containsAll(Set.of("node-a", "node-b")) && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    assertThat(answering(a, 20)).as("A and B serve each other over TLS").containsExactlyInAnyOrder("node-a", "node-b");

    NodeProcess intruder = start("node-x", theirs);
    assertThat(members(a)).as("Hazelcast lets it in: its traffic has no TLS").contains("node-x");
    // its loops are busy with handshakes that fail (it may shed some calls): what matters is who answers
    assertThat(answering(intruder, 30)).as("it reaches no actor but its own").contains("node-x")
        .doesNotContain("node-a", "node-b");
    assertThat(answering(a, 30)).as("and no request reaches it").containsExactlyInAnyOrder("node-a", "node-b");
    assertThat(answering(b, 30)).containsExactlyInAnyOrder("node-a", "node-b");
    // A never heard from it (its ticks cannot reach A), so A sends it nothing; A ejects it as silent once the allowance
    // for a first tick (5 x cluster.ejectAfter) has passed
    long by = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonObject ejected = new JsonObject(a.admin(TOKEN, "GET", "/admin/cluster", null).body()).getJsonObject("ejected");
    while (ejected.isEmpty() && System.nanoTime() < by) {
      Thread.sleep(200);
      ejected = new JsonObject(a.admin(TOKEN, "GET", "/admin/cluster", null).body()).getJsonObject("ejected");
    }
    assertThat(ejected.fieldNames()).as("%s", ejected).containsExactly("node-x");
    JsonObject view = new JsonObject(a.admin(TOKEN, "GET", "/admin/cluster", null).body());
    assertThat(view.getJsonArray("awaitingFirstTick")).as("serving, but none of its ticks arrives: %s", view)
        .containsExactly("node-x");
    assertThat(a.process().isAlive() && b.process().isAlive()).isTrue();
  }
}
