package dev.satellite.experiment;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The local nodes an experiment's {@code cluster} key asks for, started from the jar on free loopback ports with
 * {@code chaos.enabled=true}, a generated admin token and — for more than one node — {@code --cluster} with a cluster
 * name of their own (so they join nobody else) and an event-bus port each; Hazelcast finds them on the built-in
 * loopback port range. Each node holds a lifeline to this process (its stdin pipe). The cluster writes and keeps up to
 * date the {@link StateDir}; a monitor thread records membership changes (starting, serving, down, frozen, stopped);
 * a control thread serves {@code restart} and {@code add} requests that {@code chaos node} leaves in the state dir,
 * so every node, even a restarted or added one, is this process's child and holds its lifeline.
 *
 * <p>Thread-safe: nodes are guarded by this object; the monitor and control threads are daemons stopped by
 * {@link #close()}.
 */
public final class LocalCluster implements AutoCloseable {

  /** How to start nodes. {@code workDir} is where they run (relative config paths resolve there). */
  public record Options(Path jar, Path java, StateDir stateDir, Path workDir, Duration readyTimeout, Duration stopGrace) {

    /** How long a node may take to be ready, and to stop after SIGTERM before it is killed. */
    public record Timeouts(Duration ready, Duration stopGrace) {

      public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(90), Duration.ofSeconds(20));
    }
  }

  /** How long the nodes may take, once ready, to hear each other (see {@link #awaitFormed()}). */
  static final Duration FORM_WITHIN = Duration.ofSeconds(10);

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofMillis(500)).build();

  private final ClusterSpec spec;
  private final Options options;
  private final Clock clock;
  private final Instant origin;
  private final Consumer<String> console;
  private final String clusterName;
  private final String token;
  private final boolean clustered;
  private final Map<String, LocalNode> nodes = new LinkedHashMap<>();
  private final FreePorts ports = new FreePorts();
  private final JsonArray membership = new JsonArray();
  private final Instant started;
  private volatile boolean closed;
  private Thread monitor;
  private Thread control;

  private LocalCluster(ClusterSpec spec, Options options, Clock clock, Instant origin, Consumer<String> console) {
    this.spec = spec;
    this.options = options;
    this.clock = clock;
    this.origin = origin;
    this.console = console;
    SecureRandom random = new SecureRandom();
    byte[] b = new byte[4];
    random.nextBytes(b);
    this.clusterName = "chaos-" + HexFormat.of().formatHex(b);
    byte[] t = new byte[16];
    random.nextBytes(t);
    this.token = HexFormat.of().formatHex(t);
    this.clustered = spec.nodes() > 1 || "true".equalsIgnoreCase(spec.set().get("cluster.enabled"));
    this.started = clock.instant();
  }

  /**
   * Starts {@code spec.nodes()} nodes (n1, n2 …) at once and waits until every one is ready, then until a cluster of
   * them has formed (at most {@link #FORM_WITHIN}); on a failure, stops what it started and throws with the node's
   * last log lines. {@code origin} is the journal's start, for membership times.
   */
  public static LocalCluster start(ClusterSpec spec, Options options, Clock clock, Instant origin,
      Consumer<String> console) throws IOException {
    LocalCluster c = new LocalCluster(spec, options, clock, origin, console);
    options.stateDir().create();
    try {
      List<LocalNode> fresh = new ArrayList<>();
      for (int i = 1; i <= spec.nodes(); i++) {
        fresh.add(c.launch("n" + i));
      }
      c.writeState();
      c.startThreads();
      for (LocalNode n : fresh) {
        c.awaitReady(n);
      }
      c.writeState();
      c.awaitFormed();
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  public String token() {
    return token;
  }

  public String clusterName() {
    return clusterName;
  }

  /** The configuration the experiment gets: nodeN_url, nodeN_admin_url, nodes, admin_token, cluster_name. */
  public synchronized Map<String, Object> configuration() {
    Map<String, Object> conf = new LinkedHashMap<>();
    int i = 0;
    for (LocalNode n : nodes.values()) {
      i++;
      conf.put("node" + i + "_url", n.url());
      conf.put("node" + i + "_admin_url", n.adminUrl());
      conf.put("node" + i + "_name", n.name);
    }
    conf.put("nodes", nodes.size());
    conf.put("admin_token", token);
    conf.put("cluster_name", clusterName);
    return conf;
  }

  /** Base URLs of the public listeners, in node order. */
  public synchronized List<URI> urls() {
    return nodes.values().stream().map(n -> URI.create(n.url())).toList();
  }

  /** The membership changes so far, {@code [{t, node, state}]}. */
  public JsonArray membership() {
    synchronized (membership) {
      return membership.copy();
    }
  }

  private synchronized LocalNode launch(String name) throws IOException {
    if (nodes.containsKey(name)) {
      throw new IllegalArgumentException("a node named " + name + " exists already");
    }
    int http = ports.next();
    int admin = ports.next();
    int bus = clustered ? ports.next() : 0;
    List<String> cmd = new ArrayList<>(List.of(options.java().toString(), "-jar", options.jar().toString(), "run",
        "--lifeline", "stdin"));
    spec.config().ifPresent(f -> cmd.addAll(List.of("--config", f.toString())));
    if (clustered) {
      cmd.add("--cluster");
    }
    List<String> sets = new ArrayList<>(List.of("node.id=" + name, "http.host=127.0.0.1", "http.port=" + http,
        "admin.host=127.0.0.1", "admin.port=" + admin, "admin.token=" + token, "chaos.enabled=true"));
    if (clustered) {
      sets.addAll(List.of("cluster.name=" + clusterName, "cluster.host=127.0.0.1", "cluster.eventBusPort=" + bus));
    }
    spec.set().forEach((k, v) -> sets.add(k + "=" + v));
    sets.forEach(s -> cmd.addAll(List.of("--set", s)));
    LocalNode node = new LocalNode(name, http, admin, bus, cmd, options.stateDir().nodes().resolve(name + ".log"),
        options.stateDir().nodes().resolve(name + ".err"));
    nodes.put(name, node);
    node.start(options.workDir());
    transition(node, NodeState.STARTING);
    console.accept("  node " + name + " started: pid " + node.pid() + ", " + node.url() + ", admin " + node.adminUrl());
    return node;
  }

  private void awaitReady(LocalNode n) throws IOException {
    long deadline = System.nanoTime() + options.readyTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      Process p = n.process();
      if (!p.isAlive()) {
        throw new IOException("node " + n.name + " exited with " + p.exitValue() + " before it was ready:\n" + tail(n));
      }
      if (ready(n)) {
        n.servedSinceStart = true;
        transition(n, NodeState.SERVING);
        console.accept("  node " + n.name + " ready");
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while node " + n.name + " was starting");
      }
    }
    throw new IOException("node " + n.name + " not ready within " + options.readyTimeout().toSeconds() + " s:\n" + tail(n));
  }

  private static boolean ready(LocalNode n) {
    try {
      HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(n.adminUrl() + "/health/ready"))
          .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String tail(LocalNode n) {
    StringBuilder sb = new StringBuilder();
    for (Path f : List.of(n.log, n.err)) {
      try {
        List<String> lines = Files.readAllLines(f);
        lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> sb.append("    ").append(l).append('\n'));
      } catch (IOException ignored) {
        // no log yet
      }
    }
    return sb.toString();
  }

  private void transition(LocalNode n, NodeState s) {
    synchronized (membership) {
      if (n.state == s && !membership.isEmpty() && lastStateOf(n.name).equals(s.json())) {
        return;
      }
      n.state = s;
      membership.add(new JsonObject().put("t", Marker.seconds(origin, clock.instant())).put("node", n.name)
          .put("state", s.json()));
    }
  }

  private String lastStateOf(String name) {
    for (int i = membership.size() - 1; i >= 0; i--) {
      JsonObject e = membership.getJsonObject(i);
      if (name.equals(e.getString("node"))) {
        return e.getString("state");
      }
    }
    return "";
  }

  private void startThreads() {
    monitor = new Thread(this::monitor, "chaos-cluster-monitor");
    monitor.setDaemon(true);
    monitor.start();
    control = new Thread(this::control, "chaos-cluster-control");
    control.setDaemon(true);
    control.start();
  }

  private void monitor() {
    while (!closed) {
      List<LocalNode> all;
      synchronized (this) {
        all = List.copyOf(nodes.values());
      }
      boolean changed = false;
      for (LocalNode n : all) {
        NodeState before = n.state;
        NodeState now = observe(n);
        if (now != before) {
          transition(n, now);
          console.accept("  node " + n.name + ": " + now.json() + (now == NodeState.DOWN ? downReason(n) : ""));
          changed = true;
        }
        Process p = n.process();
        if (p != null && !p.isAlive() && n.exitWritten != p) {
          // a dying node is often seen down (alive, not ready) a moment before it ends: its exit code is news too
          n.exitWritten = p;
          changed = true;
          if (before == NodeState.DOWN && now == NodeState.DOWN) {
            console.accept("  node " + n.name + ": " + now.json() + downReason(n));
          }
        }
      }
      if (changed) {
        try {
          writeState();
        } catch (IOException ignored) {
          // written again at the next change
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Why a node is down, for the console: its exit code and the end of its log when it ended, else that it stopped
   * answering readiness (a node seen down while alive is one that stopped serving, or one too busy to answer).
   */
  private static String downReason(LocalNode n) {
    Process p = n.process();
    if (p != null && !p.isAlive()) {
      return " (exited with " + p.exitValue() + "); the end of its log:\n" + tail(n).stripTrailing();
    }
    return " (alive, but /health/ready did not answer 200 within 500 ms)";
  }

  private NodeState observe(LocalNode n) {
    Process p = n.process();
    if (p == null) {
      return NodeState.STOPPED;
    }
    if (!p.isAlive()) {
      return n.stopping() || p.exitValue() == 0 ? NodeState.STOPPED : NodeState.DOWN;
    }
    if (ProcessSignals.isFrozen(p.pid())) {
      return NodeState.FROZEN;
    }
    if (n.stopping()) {
      return n.state; // draining on its way to stopped: not down
    }
    if (ready(n)) {
      n.servedSinceStart = true;
      return NodeState.SERVING;
    }
    if (ProcessSignals.isFrozen(p.pid()) || !p.isAlive()) {
      return n.state; // changed while we asked: seen at the next round
    }
    return n.servedSinceStart ? NodeState.DOWN : NodeState.STARTING;
  }

  private void control() {
    Path dir = options.stateDir().requests();
    while (!closed) {
      try (DirectoryStream<Path> requests = Files.newDirectoryStream(dir, "*.json")) {
        for (Path r : requests) {
          handle(r);
        }
      } catch (IOException | UncheckedIOException ignored) {
        // retried at the next round
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void handle(Path request) throws IOException {
    String id = request.getFileName().toString().replaceFirst("\\.json$", "");
    JsonObject req;
    try {
      req = new JsonObject(Files.readString(request));
    } catch (RuntimeException e) {
      Files.deleteIfExists(request);
      return;
    }
    Files.deleteIfExists(request);
    JsonObject answer;
    try {
      String op = req.getString("op");
      String name = req.getString("node");
      if ("restart".equals(op)) {
        restart(name);
        answer = new JsonObject().put("ok", true).put("message", "node " + name + " restarted and ready");
      } else if ("add".equals(op)) {
        add(name);
        answer = new JsonObject().put("ok", true).put("message", "node " + name + " added and ready");
      } else {
        answer = new JsonObject().put("ok", false).put("message", "unknown request " + op);
      }
    } catch (IOException | RuntimeException e) {
      answer = new JsonObject().put("ok", false).put("message", e.getMessage());
    }
    StateDir.writeAtomically(options.stateDir().requests().resolve(id + ".done"), answer.encode());
  }

  /**
   * Stops the node (SIGTERM, SIGKILL after the grace) and starts it again on the same ports; waits until it is ready
   * and the cluster formed again.
   */
  public void restart(String name) throws IOException {
    LocalNode n;
    synchronized (this) {
      n = nodes.get(name);
    }
    if (n == null) {
      throw new IllegalArgumentException("no node named " + name);
    }
    console.accept("  node " + name + ": restarting");
    n.stop(options.stopGrace().toMillis());
    transition(n, NodeState.STOPPED);
    n.start(options.workDir());
    transition(n, NodeState.STARTING);
    writeState();
    awaitReady(n);
    writeState();
    awaitFormed();
  }

  /** Starts a new node joining the cluster; waits until it is ready and the cluster formed with it. */
  public void add(String name) throws IOException {
    if (!clustered) {
      throw new IllegalStateException("the local cluster is a single node that is not clustered: an added node could not"
          + " join it (use cluster.nodes >= 2 or set cluster.enabled: true)");
    }
    LocalNode n = launch(name);
    writeState();
    awaitReady(n);
    writeState();
    awaitFormed();
  }

  /**
   * Waits, at most {@link #FORM_WITHIN}, until every serving node lists every other serving node as a serving member
   * and has heard a tick from it ({@code GET /admin/cluster}): a node routes nothing to a peer before its first tick,
   * so a fault injected earlier would meet two nodes that are not yet one cluster. Says on the console how long it
   * took, or what was still missing — and goes on: an experiment may start a node that is meant never to be heard
   * (another CA's certificate), and its own probes judge that.
   */
  private void awaitFormed() {
    if (!clustered || closed) {
      return;
    }
    long from = System.nanoTime();
    long deadline = from + FORM_WITHIN.toNanos();
    while (true) {
      Formation f = formation();
      if (f.missing().isEmpty()) {
        console.accept("  cluster formed: " + String.join(", ", f.serving()) + " serve and hear each other ("
            + Duration.ofNanos(System.nanoTime() - from).toMillis() + " ms after ready)");
        return;
      }
      if (System.nanoTime() >= deadline || closed) {
        console.accept("  cluster not formed " + FORM_WITHIN.toSeconds() + " s after ready, going on: "
            + String.join("; ", f.missing()));
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The serving nodes and what keeps them from being one cluster (nothing, once formed). */
  record Formation(Set<String> serving, List<String> missing) {
  }

  private Formation formation() {
    List<LocalNode> serving;
    synchronized (this) {
      serving = nodes.values().stream().filter(n -> n.state == NodeState.SERVING).toList();
    }
    Set<String> names = new TreeSet<>();
    serving.forEach(n -> names.add(n.name));
    List<String> missing = new ArrayList<>();
    for (LocalNode n : serving) {
      Optional<JsonObject> view = clusterView(n);
      if (view.isEmpty()) {
        missing.add(n.name + " did not answer GET /admin/cluster with 200");
        continue;
      }
      missing.addAll(unheard(n.name, names, view.get()));
    }
    return new Formation(names, missing);
  }

  /** What {@code node}'s cluster view lacks of the {@code serving} nodes: unlisted, or not heard from yet. */
  static List<String> unheard(String node, Set<String> serving, JsonObject view) {
    Set<String> listed = new TreeSet<>();
    for (Object m : view.getJsonArray("members", new JsonArray())) {
      if (m instanceof JsonObject member && "serving".equals(member.getString("state"))) {
        listed.add(member.getString("id"));
      }
    }
    Set<String> awaiting = new TreeSet<>();
    view.getJsonArray("awaitingFirstTick", new JsonArray()).forEach(id -> awaiting.add(String.valueOf(id)));
    List<String> missing = new ArrayList<>();
    for (String other : new TreeSet<>(serving)) {
      if (other.equals(node)) {
        continue;
      }
      if (!listed.contains(other)) {
        missing.add(node + " does not list " + other + " as serving");
      } else if (awaiting.contains(other)) {
        missing.add(node + " has heard no tick from " + other);
      }
    }
    return missing;
  }

  private Optional<JsonObject> clusterView(LocalNode n) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(n.adminUrl() + "/admin/cluster"))
          .header("Authorization", "Bearer " + token).timeout(Duration.ofMillis(500)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(new JsonObject(r.body())) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Every node process started so far (for tests and the report). */
  public synchronized List<Long> pids() {
    return nodes.values().stream().map(LocalNode::pid).toList();
  }

  private synchronized void writeState() throws IOException {
    JsonObject ns = new JsonObject();
    nodes.values().forEach(n -> ns.put(n.name, n.toJson()));
    options.stateDir().write(new JsonObject()
        .put("runner", new JsonObject().put("pid", ProcessHandle.current().pid()).put("started", started.toString()))
        .put("jar", options.jar().toString())
        .put("java", options.java().toString())
        .put("cluster", clusterName)
        .put("clustered", clustered)
        .put("token", token)
        .put("nodes", ns));
  }

  /** Stops every node (thawed first, SIGTERM, SIGKILL after the grace) and the threads; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (monitor != null) {
      monitor.interrupt();
    }
    if (control != null) {
      control.interrupt();
    }
    List<LocalNode> all;
    synchronized (this) {
      all = List.copyOf(nodes.values());
    }
    List<LocalNode> running = all.stream().filter(n -> n.process() != null && n.process().isAlive()).toList();
    List<Thread> stoppers = new ArrayList<>();
    for (LocalNode n : running) {
      Thread t = new Thread(() -> n.stop(Math.min(options.stopGrace().toMillis(), 10_000)), "chaos-stop-" + n.name);
      t.start();
      stoppers.add(t);
    }
    for (Thread t : stoppers) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (LocalNode n : running) {
      if (!n.process().isAlive()) {
        transition(n, NodeState.STOPPED);
      }
    }
    try {
      writeState();
    } catch (IOException ignored) {
      // the nodes are gone; the state file only lags
    }
  }

  /** The node named {@code name}, if any (for tests). */
  synchronized Optional<LocalNode> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }
}
