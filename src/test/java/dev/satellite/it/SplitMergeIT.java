package dev.satellite.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real network split between three clustered nodes started from the jar, and the merge after it: analytics counts
 * keep every acknowledged event of both sides, none counted twice.
 *
 * <p>Each node runs in a Linux network namespace of its own (created by the test; it needs root and {@code ip}, and
 * skips, saying why, without them), with one address {@code 10.a.b.1x/24} on a veth pair whose host end is on a
 * bridge that carries {@code 10.a.b.1} — the test JVM's HTTP calls go there. Hazelcast and the event bus bind and
 * advertise the namespace address (a Hazelcast config written for the run, members = the three addresses). The
 * split is made in the kernel: {@code unreachable} routes in each namespace to the addresses of the other side
 * ({@code node-1, node-2 | node-3}), so the two sides cannot exchange a packet while the test still reaches every
 * node through the bridge; the heal deletes those routes.
 *
 * <p>What it proves, with failure detection cut short ({@code cluster.heartbeat} 1 s and {@code mergeDelay} 1 s, their
 * minimums; {@code maxNoHeartbeat} 3 s): batches posted with an {@code Idempotency-Key}, each retried on
 * the same node until acknowledged (202), before the split on every node and during the split on both sides, are
 * all counted once after the merge — each name's {@code count} and {@code sum} on the surviving nodes equal exactly
 * the acknowledged events ({@code CounterMergePolicy} keeps both sides' increments and the common base once); and
 * the smaller side's node exits 70 once Hazelcast has merged it. During the split the smaller side reports its own
 * events on top of the count before the split, or on top of nothing for a name it held no copy of.
 *
 * <p>Push, as the README's Push section describes it: messages published to one topic on both sides during the
 * split; after the merge the topic has a new epoch, so a subscriber resuming from the last message before the split
 * gets a {@code reset} ({@code epoch-changed}) first, then the kept history: the message before the split and the
 * larger side's messages, none of the smaller side's (whose ids are printed).
 */
class SplitMergeIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();
  private static final String[] NAMES = {"split-a", "split-b", "split-c", "split-d", "split-e", "split-f"};
  /** Batches posted to each node before the split, and to each node during it. */
  private static final int BEFORE = 4;
  private static final int DURING = 6;
  private static final int NODES = 3;
  /** Events per name in one batch. */
  private static final int PER_NAME = 2;
  /** Push messages published on each side during the split. */
  private static final int MESSAGES = 3;
  private static final String TOPIC = "split-topic";
  private static final String TOKEN = "split-merge-admin";
  private static final int HTTP_PORT = 8080;
  private static final int ADMIN_PORT = 9090;

  @TempDir
  Path dir;

  private final String run = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
  private final String cluster = "split-" + run;
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> links = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private String subnet;

  /** One node: its namespace, address and process. */
  private record Node(String id, String namespace, String address, Process process, Path log) {
    String output() throws IOException {
      return Files.readString(log, StandardCharsets.UTF_8);
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Node n : nodes) {
      if (n.process.isAlive()) {
        n.process.destroyForcibly();
        n.process.waitFor(10, TimeUnit.SECONDS);
      }
    }
    // the nodes' logs outlive the temporary directory, for a failed run
    Path logs = Path.of("target", "split-merge-it", run);
    for (Node n : nodes) {
      Files.createDirectories(logs);
      Files.copy(n.log, logs.resolve(n.id + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    for (String ns : namespaces) {
      ip(false, "netns", "del", ns); // takes the namespace end of its veth pair, and so the pair, with it
    }
    for (String link : links) {
      ip(false, "link", "del", link);
    }
  }

  @Test
  void countsKeepEveryAcknowledgedEventOfBothSidesAfterASplitHeals() throws Exception {
    assumeTrue("0".equals(exec(false, "id", "-u").trim()),
        "SplitMergeIT needs root: it creates network namespaces, a bridge and veth pairs to split the cluster");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
        || Files.isExecutable(Path.of("/usr/bin/ip")), "SplitMergeIT needs iproute2's `ip` to make the network");
    NodeProcess.jar();
    makeNetwork();
    Path hazelcast = hazelcastConfig();
    for (int i = 1; i <= NODES; i++) {
      nodes.add(start(i, hazelcast));
    }
    for (Node n : nodes) {
      awaitReady(n, Duration.ofSeconds(60));
    }
    for (Node n : nodes) {
      awaitMembers(n, NODES, Duration.ofSeconds(30));
    }
    long acknowledged = 0;
    for (Node n : nodes) {
      acknowledged += ingest(n, "before", BEFORE);
    }

    String base = publish(nodes.get(0), "base");

    long splitAt = System.nanoTime();
    List<Node> larger = nodes.subList(0, 2);
    Node smaller = nodes.get(2);
    cut(larger, List.of(smaller), true);
    for (Node n : larger) {
      awaitMembers(n, 2, Duration.ofSeconds(20));
    }
    awaitMembers(smaller, 1, Duration.ofSeconds(20));
    long splitSeen = System.nanoTime();
    long during = 0;
    for (Node n : nodes) {
      during += ingest(n, "during", DURING);
    }
    acknowledged += during;
    List<String> largerIds = new ArrayList<>();
    List<String> smallerIds = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      largerIds.add(publish(nodes.get(0), "larger-" + i));
      smallerIds.add(publish(smaller, "smaller-" + i));
    }
    // Each side counts what it acknowledged, on top of the base before the split only for the names it held a copy of
    // (owner or backup): with three members and one backup, the smaller side holds a copy of about two thirds of the
    // partitions; for the others it starts from nothing until the merge.
    long own = (long) DURING * PER_NAME;
    long withBase = (long) (BEFORE * NODES + DURING) * PER_NAME;
    int namesWithBase = 0;
    for (String name : NAMES) {
      long count = stats(smaller, name).getLong("count");
      assertThat(count).as("%s on the smaller side during the split", name).isIn(own, withBase);
      namesWithBase += count == withBase ? 1 : 0;
    }

    long healAt = System.nanoTime();
    cut(larger, List.of(smaller), false);
    assertThat(smaller.process.waitFor(45, TimeUnit.SECONDS))
        .as("the smaller side's node exits after the merge (logs in target/split-merge-it/%s)", run).isTrue();
    long mergedAt = System.nanoTime();
    assertThat(smaller.process.exitValue()).as("exit code of the merged node").isEqualTo(70);
    assertThat(smaller.output()).contains("MERGED");

    long expected = acknowledged * PER_NAME;
    for (Node survivor : larger) {
      for (String name : NAMES) {
        JsonObject stats = stats(survivor, name);
        assertThat(stats.getLong("count")).as("%s on %s after the merge (%d batches acknowledged)", name, survivor.id,
            acknowledged).isEqualTo(expected);
        assertThat(stats.getDouble("sum")).as("sum of %s on %s", name, survivor.id).isEqualTo(expected * 3.0);
      }
    }
    // The topic after the merge, resumed from the message before the split (README, Push: what "durable" means
    // here): the topic has a new epoch, so that id is answered with a reset, then the kept history — the larger
    // side's copy, whole; the smaller side's messages of the split are gone from it
    List<String[]> history = replay(nodes.get(1), base, MESSAGES + 2);
    assertThat(history).as("events resumed from %s on node-2 after the merge", base).isNotEmpty();
    assertThat(history.get(0)[1]).as("the first: an explicit reset, as %s is of the history before the merge", base)
        .startsWith("reset ").contains("epoch-changed");
    List<String> kept = history.subList(1, history.size()).stream().map(e -> e[1].replace("\"", "")).toList();
    List<String> expectedKept = new ArrayList<>(List.of("base"));
    java.util.stream.IntStream.range(0, MESSAGES).forEach(i -> expectedKept.add("larger-" + i));
    assertThat(kept).as("history after the reset on node-2 (ids %s; the smaller side's were %s)",
        history.stream().map(e -> e[0]).toList(), smallerIds).containsExactlyElementsOf(expectedKept);
    System.out.printf("split/merge IT, push: before the split %s; during it the larger side published %s, the"
        + " smaller side %s; after the merge the history from %s holds %s%n", base, largerIds, smallerIds, base,
        history.stream().map(e -> e[0] + "=" + e[1]).toList());
    System.out.printf("split/merge IT: %d batches acknowledged (%d during the split), %d events per name counted"
            + " once on both survivors; the smaller side held the pre-split base of %d of %d names during the split;"
            + " split seen after %d ms, merged node exited %d ms after the heal%n",
        acknowledged, during, expected, namesWithBase, NAMES.length, (splitSeen - splitAt) / 1_000_000,
        (mergedAt - healAt) / 1_000_000);
  }

  // --- the network -------------------------------------------------------------------------------------------------

  /** A bridge with the host's address on it, and one namespace per node joined to it by a veth pair. */
  private void makeNetwork() throws Exception {
    subnet = freeSubnet();
    String bridge = "sbr" + run;
    ip(true, "link", "add", bridge, "type", "bridge");
    links.add(bridge);
    ip(true, "addr", "add", subnet + ".1/24", "dev", bridge);
    ip(true, "link", "set", bridge, "up");
    for (int i = 1; i <= NODES; i++) {
      String ns = "satsplit-" + run + "-" + i;
      Process add = new ProcessBuilder("ip", "netns", "add", ns).redirectErrorStream(true).start();
      String why = new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(add.waitFor(10, TimeUnit.SECONDS)).as("ip netns add answers").isTrue();
      assumeTrue(add.exitValue() == 0, "SplitMergeIT cannot create a network namespace here (" + why + "): skipped");
      namespaces.add(ns);
      String host = "sv" + run + "h" + i;
      String inside = "sv" + run + "n" + i;
      ip(true, "link", "add", host, "type", "veth", "peer", "name", inside);
      links.add(host);
      ip(true, "link", "set", inside, "netns", ns);
      ip(true, "link", "set", host, "master", bridge);
      ip(true, "link", "set", host, "up");
      ip(true, "-n", ns, "link", "set", "lo", "up");
      ip(true, "-n", ns, "addr", "add", address(i) + "/24", "dev", inside);
      ip(true, "-n", ns, "link", "set", inside, "up");
    }
  }

  private String address(int node) {
    return subnet + "." + (10 + node);
  }

  /** A 10.x.y.0/24 no interface or route of this machine uses yet. */
  private static String freeSubnet() throws Exception {
    String routes = exec(true, "ip", "-4", "route", "show", "table", "all") + exec(true, "ip", "-4", "addr");
    for (int attempt = 0; attempt < 50; attempt++) {
      String candidate = "10." + ThreadLocalRandom.current().nextInt(100, 250) + "."
          + ThreadLocalRandom.current().nextInt(1, 250);
      if (!routes.contains(candidate + ".")) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free 10.x.y.0/24 found:\n" + routes);
  }

  /**
   * Cuts (or restores) every path between the nodes of {@code a} and those of {@code b}: an {@code unreachable} route
   * to each address of the other side in each namespace, so no packet leaves either side for the other.
   */
  private void cut(List<Node> a, List<Node> b, boolean split) throws Exception {
    for (Node from : a) {
      for (Node to : b) {
        ip(true, "-n", from.namespace, "route", split ? "add" : "del", "unreachable", to.address + "/32");
        ip(true, "-n", to.namespace, "route", split ? "add" : "del", "unreachable", from.address + "/32");
      }
    }
  }

  private static String ip(boolean mustSucceed, String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "ip";
    System.arraycopy(args, 0, cmd, 1, args.length);
    return exec(mustSucceed, cmd);
  }

  private static String exec(boolean mustSucceed, String... cmd) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      if (mustSucceed) {
        throw e;
      }
      return "";
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", cmd) + ": no answer in 10 s");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (mustSucceed && p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + text);
    }
    return text;
  }

  // --- the nodes ---------------------------------------------------------------------------------------------------

  /** conf/hazelcast.yaml with the namespace addresses instead of loopback: each member binds the one it has. */
  private Path hazelcastConfig() throws IOException {
    String yaml = Files.readString(Path.of("conf/hazelcast.yaml"));
    String interfaces = "      interfaces:\n        - 127.0.0.1\n";
    String members = "        member-list:\n          - 127.0.0.1\n";
    assertThat(yaml).as("conf/hazelcast.yaml as this test expects it").contains(interfaces, members);
    StringBuilder list = new StringBuilder("        member-list:\n");
    for (int i = 1; i <= NODES; i++) {
      list.append("          - ").append(address(i)).append(":5701\n");
    }
    // one member per address, always on 5701: a master looking for the other side of a split asks each address of
    // the list on every port of the range in turn, one at a time, so the range would only delay the merge
    String tryCount = "hazelcast.tcp.join.port.try.count: 20";
    String autoIncrement = "auto-increment: true";
    assertThat(yaml).contains(tryCount, autoIncrement);
    yaml = yaml.replace(interfaces, "      interfaces:\n        - " + subnet + ".*\n").replace(members, list)
        .replace(tryCount, "hazelcast.tcp.join.port.try.count: 1").replace(autoIncrement, "auto-increment: false");
    Path file = dir.resolve("hazelcast-split.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /** conf/logback.xml with Hazelcast's INFO lines (membership, split-brain merge) kept, for the nodes' logs. */
  private Path logbackConfig() throws IOException {
    String xml = Files.readString(Path.of("conf/logback.xml"));
    String quiet = "<logger name=\"com.hazelcast\" level=\"WARN\"/>";
    assertThat(xml).contains(quiet);
    Path file = dir.resolve("logback-split.xml");
    Files.writeString(file, xml.replace(quiet, "<logger name=\"com.hazelcast\" level=\"INFO\"/>"));
    return file;
  }

  private Node start(int i, Path hazelcast) throws IOException {
    String id = "node-" + i;
    String ns = namespaces.get(i - 1);
    String address = address(i);
    Path log = dir.resolve(id + ".log");
    List<String> cmd = List.of("ip", "netns", "exec", ns,
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
        NodeProcess.jar().toAbsolutePath().toString(), "run", "--cluster");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SATELLITE_"));
    Map<String, String> env = new HashMap<>();
    env.put("SATELLITE_NODE_ID", id);
    env.put("SATELLITE_CLUSTER_NAME", cluster);
    env.put("SATELLITE_CLUSTER_HOST", address);
    env.put("SATELLITE_CLUSTER_HAZELCAST_CONFIG", hazelcast.toString());
    env.put("SATELLITE_LOG_CONFIG", logbackConfig().toString());
    env.put("SATELLITE_CLUSTER_HEARTBEAT", "1s");
    env.put("SATELLITE_CLUSTER_MAX_NO_HEARTBEAT", "3s");
    env.put("SATELLITE_CLUSTER_MERGE_DELAY", "1s");
    env.put("SATELLITE_HTTP_HOST", address);
    env.put("SATELLITE_HTTP_PORT", String.valueOf(HTTP_PORT));
    env.put("SATELLITE_ADMIN_HOST", address);
    env.put("SATELLITE_ADMIN_PORT", String.valueOf(ADMIN_PORT));
    env.put("SATELLITE_ADMIN_TOKEN", TOKEN);
    pb.environment().putAll(env);
    return new Node(id, ns, address, pb.start(), log);
  }

  private void awaitReady(Node n, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!n.process.isAlive()) {
        throw new AssertionError(n.id + " exited with " + n.process.exitValue() + " before ready:\n" + n.output());
      }
      HttpResponse<String> r = send(n, ADMIN_PORT, "GET", "/health/ready", null, Map.of());
      if (r != null && r.statusCode() == 200) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(n.id + " not ready within " + timeout + ":\n" + n.output());
  }

  /** Polls {@code /admin/cluster} until the node sees {@code count} members. */
  private void awaitMembers(Node n, int count, Duration timeout) throws Exception {
    JsonObject last = null;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = send(n, ADMIN_PORT, "GET", "/admin/cluster", null,
          Map.of("Authorization", "Bearer " + TOKEN));
      if (r != null && r.statusCode() == 200) {
        last = new JsonObject(r.body());
        if (last.getJsonArray("members").size() == count) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(n.id + " did not see " + count + " members within " + timeout + ": " + last + "\n"
        + n.output());
  }

  // --- analytics ---------------------------------------------------------------------------------------------------

  /** {@code PER_NAME} events of value 3 for each name. */
  private static String batch() {
    JsonArray events = new JsonArray();
    for (String name : NAMES) {
      for (int i = 0; i < PER_NAME; i++) {
        events.add(new JsonObject().put("name", name).put("value", 3));
      }
    }
    return events.encode();
  }

  /**
   * Posts {@code batches} batches to {@code n}, each with its own key and retried on the same node (so on the same
   * side of a split, where the key is known) until acknowledged; fails if one is not within 30 s.
   */
  private long ingest(Node n, String phase, int batches) throws Exception {
    String body = batch();
    for (int b = 0; b < batches; b++) {
      String key = run + "-" + n.id + "-" + phase + "-" + b;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      HttpResponse<String> last = null;
      while (true) {
        last = send(n, HTTP_PORT, "POST", "/events", body, Map.of("content-type", "application/json",
            "Idempotency-Key", key));
        if (last != null && last.statusCode() == 202) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("batch " + key + " not acknowledged within 30 s; last answer "
              + (last == null ? "none" : last.statusCode() + " " + last.body()) + "\n" + n.output());
        }
        Thread.sleep(100);
      }
    }
    return batches;
  }

  // --- push --------------------------------------------------------------------------------------------------------

  /** Publishes {@code "text"} (a JSON string) to the topic on {@code n}, retried until 202 (30 s); its id. */
  private String publish(Node n, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> last;
    while (true) {
      last = send(n, HTTP_PORT, "POST", "/push/" + TOPIC, "\"" + text + "\"", Map.of("content-type",
          "application/json"));
      if (last != null && last.statusCode() == 202) {
        return new JsonObject(last.body()).getString("id");
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("publish of " + text + " on " + n.id + " not acknowledged within 30 s; last answer "
            + (last == null ? "none" : last.statusCode() + " " + last.body()));
      }
      Thread.sleep(100);
    }
  }

  /**
   * Subscribes (SSE) on {@code n} with {@code Last-Event-ID: since} and returns the first {@code count} events
   * replayed, as {id, data} (a reset too, as {id, "reset " + data}); fewer if no more come within 10 s.
   */
  private List<String[]> replay(Node n, String since, int count) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + n.address + ":" + HTTP_PORT + "/push/" + TOPIC))
        .header("Accept", "text/event-stream").header("Last-Event-ID", since).timeout(Duration.ofSeconds(5)).GET()
        .build();
    List<String[]> events = java.util.Collections.synchronizedList(new ArrayList<>());
    HttpResponse<java.util.stream.Stream<String>> response = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).as("SSE subscription on %s", n.id).isEqualTo(200);
    Thread reader = new Thread(() -> {
      String id = null;
      String event = null;
      for (java.util.Iterator<String> lines = response.body().iterator(); lines.hasNext() && events.size() < count; ) {
        String line = lines.next();
        if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          events.add(new String[] {id, (event == null ? "" : event + " ") + line.substring(6)});
          event = null;
        }
      }
    }, "split-merge-sse");
    reader.setDaemon(true);
    reader.start();
    reader.join(10_000);
    response.body().close();
    synchronized (events) {
      return new ArrayList<>(events);
    }
  }

  private JsonObject stats(Node n, String name) throws Exception {
    HttpResponse<String> r = send(n, HTTP_PORT, "GET", "/stats/" + name, null, Map.of());
    assertThat(r).as("GET /stats/%s on %s answered", name, n.id).isNotNull();
    assertThat(r.statusCode()).as("GET /stats/%s on %s: %s", name, n.id, r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  /** One request; the response, or null when the node could not be reached or did not answer in time. */
  private static HttpResponse<String> send(Node n, int port, String method, String path, String body,
      Map<String, String> headers) throws InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + n.address + ":" + port + path))
        .timeout(Duration.ofSeconds(5))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    }
  }
}
