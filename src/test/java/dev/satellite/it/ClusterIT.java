package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.support.PacedProbe;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clustered nodes as real processes from the jar, under clients of node A spread the way real ones are — several
 * kept-alive connections (on every event loop of A) and clients that connect anew for each request, one request every
 * 20 ms in all, 2 s client timeout ({@link PacedProbe}). A node killed or frozen costs each client at most one
 * failure, none after 1 s (kill) or 1.5 s (freeze); a frozen node exits 70 when thawed; a node started with a taken
 * id is refused without A's clients noticing; three nodes started together form one cluster.
 */
class ClusterIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();
  private static final String TOKEN = "cluster-it";
  private static final Duration EVERY = Duration.ofMillis(20);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(2);

  @TempDir
  Path dir;

  private final String cluster = "it-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<NodeProcess> nodes = new ArrayList<>();

  @AfterEach
  void stopNodes() throws Exception {
    for (NodeProcess n : nodes) {
      signal("CONT", n.pid());
      n.close();
    }
  }

  private NodeProcess start(String id) throws IOException {
    NodeProcess node = NodeProcess.startClustered(dir, cluster, id, Map.of("SATELLITE_ADMIN_TOKEN", TOKEN));
    nodes.add(node);
    return node;
  }

  /**
   * Starts nodes one after the other, each joining the ones before it, and returns once every node lists all of them
   * serving and has heard a tick from each: until then a node routes nothing to a peer (it is awaiting its first tick)
   * and gives it a longer allowance before ejecting it for silence.
   */
  private List<NodeProcess> cluster(String... ids) throws Exception {
    List<NodeProcess> started = new ArrayList<>();
    for (String id : ids) {
      NodeProcess n = start(id);
      n.awaitReady(Duration.ofSeconds(60));
      started.add(n);
    }
    for (NodeProcess n : started) {
      awaitTicksFromAll(n, Set.of(ids));
    }
    return started;
  }

  private static void awaitTicksFromAll(NodeProcess node, Set<String> ids) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    JsonObject view = clusterView(node);
    while (!(servingMembers(view).equals(ids) && view.getJsonArray("awaitingFirstTick").isEmpty())) {
      assertThat(System.nanoTime()).as("every member serving and heard from: %s", view).isLessThan(until);
      Thread.sleep(50);
      view = clusterView(node);
    }
  }

  private static Set<String> servingMembers(JsonObject view) {
    Set<String> serving = new HashSet<>();
    for (Object m : view.getJsonArray("members")) {
      JsonObject member = (JsonObject) m;
      if ("serving".equals(member.getString("state"))) {
        serving.add(member.getString("id"));
      }
    }
    return serving;
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

  /** The nodes that answered {@code n} calls of /whoami on {@code node}. */
  private static Set<String> answering(NodeProcess node, int n) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      seen.add(whoami(node));
    }
    return seen;
  }

  private static JsonObject clusterView(NodeProcess node) throws Exception {
    HttpResponse<String> r = node.admin(TOKEN, "GET", "/admin/cluster", null);
    assertThat(r.statusCode()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  /**
   * Clients of {@code a} for 2 s, then {@code signal} to {@code victim}, then {@code after} more of them; what the
   * clients saw from the signal on.
   */
  private static PacedProbe.Around probeAround(NodeProcess a, NodeProcess victim, String signal, Duration after)
      throws Exception {
    PacedProbe probe = new PacedProbe(a.httpPort, "/whoami", EVERY, CLIENT_TIMEOUT, 6, 2)
        .start(Duration.ofSeconds(2).plus(after));
    Thread.sleep(2000);
    long at = System.nanoTime();
    signal(signal, victim.pid());
    Thread.sleep(after.toMillis());
    probe.stop();
    PacedProbe.Around seen = probe.around(at);
    assertThat(seen.failedBefore()).as("no failure before the signal").isZero();
    assertThat(seen.sent()).as("requests after the signal").isGreaterThan((int) (after.toMillis() / EVERY.toMillis() / 2));
    return seen;
  }

  /**
   * Two nodes serve each other's actors and list each other; then a {@code kill -9} of one costs each client of the
   * other at most one failure, none after 1 s. (Three nodes, one killed: the {@code node-kill} experiment.)
   */
  @Test
  void twoNodesServeAndListEachOtherAndAKilledOneCostsEachClientAtMostOneFailureNoneAfterOneSecond() throws Exception {
    List<NodeProcess> up = cluster("node-a", "node-b");
    NodeProcess a = up.get(0);
    NodeProcess b = up.get(1);
    assertThat(answering(a, 30)).as("every node serves /whoami through A").containsExactlyInAnyOrder("node-a", "node-b");
    JsonObject view = clusterView(a);
    assertThat(view.getString("node")).isEqualTo("node-a");
    assertThat(view.getBoolean("clustered")).isTrue();
    Map<String, JsonObject> members = new HashMap<>();
    for (Object m : view.getJsonArray("members")) {
      JsonObject member = (JsonObject) m;
      members.put(member.getString("id"), member);
    }
    assertThat(members).containsOnlyKeys("node-a", "node-b");
    for (JsonObject member : members.values()) {
      assertThat(member.getString("state")).isEqualTo("serving");
      assertThat(member.getJsonArray("actors").getList()).containsExactlyInAnyOrder("hello", "whoami", "echo", "analytics",
          "push");
    }
    assertThat(members.get("node-a").getBoolean("local")).isTrue();
    assertThat(members.get("node-b").getBoolean("local")).isFalse();
    assertThat(view.getJsonObject("ejected")).isEmpty();
    assertThat(a.send(a.adminPort, "/metrics", Map.of()).body()).contains("satellite_cluster_members 2.0");

    // watched past the member's removal from the cluster, and past its ticks' timeout many times over
    PacedProbe.Around seen = probeAround(a, b, "KILL", Duration.ofSeconds(10));
    assertThat(seen.mostPerClient()).as("failures of any one client: %s", seen).isLessThanOrEqualTo(1);
    assertThat(seen.lastEndedMs()).as("ms from kill -9 to the end of the last failed request: %s", seen).isLessThan(1000);
    assertThat(answering(a, 20)).doesNotContain("node-b").doesNotContainNull();
  }

  /**
   * A {@code SIGSTOP} of one node of two costs each client of the other at most one failure, none after 1.5 s; thawed,
   * it exits 70, and that costs the other nothing. (Three nodes, one frozen: the {@code node-freeze} experiment.)
   */
  @Test
  void aFrozenNodeOfTwoCostsEachClientAtMostOneFailureAndExits70WhenThawed() throws Exception {
    List<NodeProcess> up = cluster("node-a", "node-b");
    NodeProcess a = up.get(0);
    NodeProcess b = up.get(1);
    assertThat(answering(a, 30)).hasSize(2).doesNotContainNull();
    // frozen for 10 s: past cluster.maxNoHeartbeat (5 s), when Hazelcast removes it, and past cluster.maxPause (4 s)
    PacedProbe.Around seen = probeAround(a, b, "STOP", Duration.ofSeconds(10));
    assertThat(seen.mostPerClient()).as("failures of any one client: %s", seen).isLessThanOrEqualTo(1);
    assertThat(seen.lastEndedMs()).as("ms from SIGSTOP to the end of the last failed request: %s", seen).isLessThan(1500);
    assertThat(answering(a, 20)).doesNotContain("node-b").doesNotContainNull();

    // the cluster moved on without it: thawed, it must not carry on half-alive, and its end costs A nothing
    PacedProbe probe = new PacedProbe(a.httpPort, "/whoami", EVERY, CLIENT_TIMEOUT, 6, 2).start(Duration.ofSeconds(30));
    long thawed = System.nanoTime();
    signal("CONT", b.pid());
    assertThat(b.awaitExit(Duration.ofSeconds(20))).isEqualTo(70);
    Thread.sleep(2000);
    probe.stop();
    assertThat(b.output()).contains("FATAL removed from the cluster");
    assertThat(probe.around(thawed).failed()).as("failures on A while B thawed and exited: %s", probe.around(thawed))
        .isZero();
  }

  @Test
  void aNodeFrozenBeforeTheOtherServedAnyRequestCostsEachClientAtMostOneFailure() throws Exception {
    List<NodeProcess> up = cluster("node-a", "node-b");
    NodeProcess a = up.get(0);
    // A has not sent one request to its own actors yet (it has only heard B's ticks): every address is new to its
    // event bus, and a new address is looked up in Hazelcast — where the member that owns the key may be the frozen one
    signal("STOP", up.get(1).pid());
    long at = System.nanoTime();
    List<PacedProbe> probes = new ArrayList<>();
    for (String path : List.of("/whoami", "/hello")) {
      probes.add(new PacedProbe(a.httpPort, path, EVERY, CLIENT_TIMEOUT, 6, 2).start(Duration.ofSeconds(8)));
    }
    Thread.sleep(2000);
    // ejected for its silence, long before the membership layer removes it (cluster.maxNoHeartbeat, 5 s)
    JsonObject ejected = clusterView(a).getJsonObject("ejected");
    assertThat(ejected.fieldNames()).containsExactly("node-b");
    assertThat(ejected.getJsonObject("node-b").getString("reason")).isEqualTo("silent");
    assertThat(a.send(a.adminPort, "/metrics", Map.of()).body())
        .contains("satellite_cluster_ejections_total{reason=\"silent\"} 1.0");
    Thread.sleep(6000);
    for (PacedProbe probe : probes) {
      probe.stop();
      PacedProbe.Around seen = probe.around(at);
      assertThat(seen.mostPerClient()).as("failures of any one client: %s", seen).isLessThanOrEqualTo(1);
      assertThat(seen.lastEndedMs()).as("ms from SIGSTOP to the end of the last failed request: %s", seen)
          .isLessThan(1500);
    }
  }

  @Test
  void aNodeWithATakenIdIsRefusedOnStderrWithoutEverTakingARequest() throws Exception {
    List<NodeProcess> up = cluster("node-a", "node-b");
    NodeProcess a = up.get(0);
    PacedProbe probe = new PacedProbe(a.httpPort, "/whoami", EVERY, CLIENT_TIMEOUT, 6, 2).start(Duration.ofSeconds(60));
    Thread.sleep(1000);
    long at = System.nanoTime();
    NodeProcess duplicate = start("node-a");
    assertThat(duplicate.awaitExit(Duration.ofSeconds(40))).isEqualTo(2);
    Thread.sleep(2000); // its member leaves the cluster after the process is gone
    probe.stop();
    PacedProbe.Around seen = probe.around(at);
    assertThat(seen.failed()).as("requests to A that failed while the duplicate came and went: %s", seen).isZero();
    assertThat(duplicate.errors()).as("its one line, on stderr")
        .contains("config error: node.id: 'node-a' is already used by member");
    assertThat(answering(a, 20)).containsExactlyInAnyOrder("node-a", "node-b");
    assertThat(clusterView(a).getJsonArray("members")).hasSize(2);
  }

  @Test
  void threeNodesStartedTogetherFormOneClusterOfThree() throws Exception {
    List<NodeProcess> three = List.of(start("node-1"), start("node-2"), start("node-3"));
    for (NodeProcess n : three) {
      n.awaitReady(Duration.ofSeconds(60));
    }
    for (NodeProcess n : three) {
      JsonObject view = clusterView(n);
      assertThat(view.getJsonArray("members")).as("%s", view).hasSize(3);
      assertThat(view.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("id")))
          .containsExactlyInAnyOrder("node-1", "node-2", "node-3");
    }
    // a cluster formed twice over would merge after cluster.mergeDelay (5 s) and the merged nodes would exit 70:
    // still three, and still one cluster, well past that
    Thread.sleep(8000);
    for (NodeProcess n : three) {
      assertThat(n.process().isAlive()).as("%s", n.output()).isTrue();
      // every node reaches all three; a peer this node ejected for a late tick (three JVMs warming up on two
      // cores) comes back at its next probe (cluster.ejectProbe, 1 s), a peer of another cluster never would
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      Set<String> seen = answering(n, 30);
      while (!seen.containsAll(Set.of("node-1", "node-2", "node-3")) && System.nanoTime() < until) {
        Thread.sleep(200);
        seen = answering(n, 30);
      }
      assertThat(seen).as("%s", clusterView(n)).containsExactlyInAnyOrder("node-1", "node-2", "node-3");
    }
  }
}
