package dev.satellite.bench;

import dev.satellite.config.ConfigTree;
import dev.satellite.support.PacedProbe;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's figures from the built jar, nodes as processes on loopback, each event measured {@code runs} times
 * and reported as min / median / max:
 * <ul>
 *   <li>{@code start}: a lone clustered node, process start to {@code /health/ready} 200;</li>
 *   <li>{@code join}: a second node, process start to ready, the first one up;</li>
 *   <li>{@code together}: three nodes started at once (a scale-up): first and last ready, and whether they formed one
 *       cluster of three (each node's {@code satellite_cluster_members});</li>
 *   <li>{@code kill2}, {@code stop2}, {@code kill3}, {@code stop3}: SIGKILL or SIGSTOP of node B of 2 or 3, under
 *       {@link PacedProbe} clients of node A ({@code /whoami} every 20 ms in all, 2 s client timeout, 6 kept-alive
 *       connections and 2 clients that connect anew each time): failures after the signal, the most any one client
 *       saw, and when the last failed one was sent and answered;</li>
 *   <li>{@code duplicate}: a node started with A's id while clients call A: failures on A, the duplicate's exit code
 *       and where its message went;</li>
 *   <li>{@code busy}: false suspicions on a busy machine — two nodes under wrk load on both (each request may cross
 *       to the other node) while two processes spin on the machine's two cores, for {@value #BUSY_SECONDS} s, with
 *       {@code cluster.ejectAfter} at 300 ms, 600 ms (the default) and 1 s: ejections of a node that was never down,
 *       requests failed because of them, and Hazelcast member removals (with the default 1 s heartbeat and 5 s
 *       limit);</li>
 *   <li>{@code ratelimit}: the cost of {@code scope: cluster} against {@code scope: node} on a route with a limit far
 *       above the load (wrk, interleaved rounds, p50 and throughput), and the admitted count of a shared limit of
 *       50/s with burst 50 over 10 s of load on both nodes.</li>
 * </ul>
 * Run with {@code bench/cluster.sh}. Arguments: jar path, runs (default 3), scenarios (comma-separated, default all).
 * Ports 18401-18403 (HTTP) and 19401-19403 (admin).
 */
public final class ClusterFigures {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();
  private static final String TOKEN = "figures";
  private static final List<String> ALL = List.of("start", "join", "together", "kill2", "stop2", "kill3", "stop3",
      "duplicate", "ratelimit", "busy");
  private static final String RATE_ROUTES = "[{path: /node-scope, methods: [GET], actor: hello, concurrency: 100000,"
      + " rateLimit: {rps: 1000000, burst: 1000000, scope: node}},"
      + " {path: /cluster-scope, methods: [GET], actor: hello, concurrency: 100000,"
      + " rateLimit: {rps: 1000000, burst: 1000000, scope: cluster}},"
      + " {path: /shared-50, methods: [GET], actor: hello, concurrency: 100000,"
      + " rateLimit: {rps: 50, burst: 50, scope: cluster}}]";

  private static final int BUSY_SECONDS = 60;

  /** A figure's values over the runs, in the order measured. */
  private static final Map<String, List<Double>> FIGURES = new LinkedHashMap<>();
  private static final List<Node> RUNNING = new ArrayList<>();

  private ClusterFigures() {
  }

  public static void main(String[] args) throws Exception {
    String jar = args.length > 0 ? args[0] : "target/satellite.jar";
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<String> scenarios = args.length > 2 ? Arrays.asList(args[2].split(",")) : ALL;
    Runtime.getRuntime().addShutdownHook(new Thread(ClusterFigures::killAll));
    for (String scenario : scenarios) {
      if (!ALL.contains(scenario)) {
        throw new IllegalArgumentException("no scenario " + scenario + "; one of " + ALL);
      }
      for (int run = 1; run <= runs; run++) {
        try {
          switch (scenario) {
            case "start" -> start(jar, run);
            case "join" -> join(jar, run);
            case "together" -> together(jar, run);
            case "kill2" -> signal(jar, run, "KILL", 2);
            case "stop2" -> signal(jar, run, "STOP", 2);
            case "kill3" -> signal(jar, run, "KILL", 3);
            case "stop3" -> signal(jar, run, "STOP", 3);
            case "duplicate" -> duplicate(jar, run);
            case "ratelimit" -> rateLimit(jar, run);
            case "busy" -> busy(jar, run);
            default -> throw new IllegalStateException(scenario);
          }
        } finally {
          killAll();
        }
      }
    }
    System.out.println();
    System.out.printf("| figure | runs | min | median | max |%n|---|---|---|---|---|%n");
    FIGURES.forEach((name, values) -> {
      List<Double> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      System.out.printf("| %s | %d | %s | %s | %s |%n", name, values.size(), fmt(sorted.get(0)),
          fmt(sorted.get(sorted.size() / 2)), fmt(sorted.get(sorted.size() - 1)));
    });
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format("%.2f", v);
  }

  private static void figure(String name, double value) {
    FIGURES.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
  }

  // ---- scenarios -----------------------------------------------------------------------------------------

  private static void start(String jar, int run) throws Exception {
    Node a = Node.start(jar, "fig-a", cluster(), 1, Map.of());
    long ms = a.awaitReady(60);
    figure("lone clustered node, start -> ready (ms)", ms);
    System.out.printf("start run %d: ready %d ms after the process started%n", run, ms);
  }

  private static void join(String jar, int run) throws Exception {
    String cluster = cluster();
    Node.start(jar, "fig-a", cluster, 1, Map.of()).awaitReady(60);
    Node b = Node.start(jar, "fig-b", cluster, 2, Map.of());
    long ms = b.awaitReady(60);
    figure("second node joining, start -> ready (ms)", ms);
    System.out.printf("join run %d: second node ready %d ms after its start; members seen by it: %d%n", run, ms,
        b.members());
  }

  private static void together(String jar, int run) throws Exception {
    String cluster = cluster();
    List<Node> nodes = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      nodes.add(Node.start(jar, "fig-" + i, cluster, i, Map.of()));
    }
    List<Long> ready = new ArrayList<>();
    for (Node n : nodes) {
      ready.add(n.awaitReady(60));
    }
    Collections.sort(ready);
    // one cluster: every node sees three members (poll a little: the last join may still be settling)
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    boolean one = false;
    while (!one && System.nanoTime() < until) {
      one = nodes.stream().allMatch(n -> n.members() == 3);
      Thread.sleep(50);
    }
    long oneAt = (System.nanoTime() - nodes.get(0).started) / 1_000_000;
    boolean alive = nodes.stream().allMatch(n -> n.process.isAlive());
    figure("three started together, first ready (ms)", ready.get(0));
    figure("three started together, last ready (ms)", ready.get(2));
    System.out.printf("together run %d: ready at %s ms; one cluster of 3: %s (seen at %d ms); all still running: %s%n",
        run, ready, one, oneAt, alive);
  }

  private static void signal(String jar, int run, String signal, int size) throws Exception {
    String cluster = cluster();
    Node a = Node.start(jar, "fig-a", cluster, 1, Map.of());
    a.awaitReady(60);
    Node b = Node.start(jar, "fig-b", cluster, 2, Map.of());
    b.awaitReady(60);
    if (size == 3) {
      Node.start(jar, "fig-c", cluster, 3, Map.of()).awaitReady(60);
    }
    int window = signal.equals("KILL") ? 6 : 8;
    PacedProbe probe = new PacedProbe(a.http, "/whoami", Duration.ofMillis(20), Duration.ofSeconds(2), 6, 2)
        .start(Duration.ofSeconds(2 + window));
    Thread.sleep(2000);
    long at = System.nanoTime();
    kill(signal, b.process.pid());
    Thread.sleep(window * 1000L);
    probe.stop();
    PacedProbe.Around seen = probe.around(at);
    String event = "SIG" + signal + " of B, " + size + " nodes";
    figure(event + ": failures", seen.failed());
    figure(event + ": most failures of one client", seen.mostPerClient());
    figure(event + ": last failure answered (ms after)", Math.max(0, seen.lastEndedMs()));
    figure(event + ": slowest answer (ms)", seen.slowestMs());
    String after = "";
    if (signal.equals("STOP")) {
      kill("CONT", b.process.pid());
      after = b.process.waitFor(20, TimeUnit.SECONDS) ? "; after SIGCONT B exited " + b.process.exitValue()
          : "; after SIGCONT B still runs";
    }
    System.out.printf("%s run %d: %s (before it: %d failed)%s%n", event, run, seen, seen.failedBefore(), after);
  }

  private static void duplicate(String jar, int run) throws Exception {
    String cluster = cluster();
    Node a = Node.start(jar, "fig-a", cluster, 1, Map.of());
    a.awaitReady(60);
    PacedProbe probe = new PacedProbe(a.http, "/whoami", Duration.ofMillis(20), Duration.ofSeconds(2), 6, 2)
        .start(Duration.ofSeconds(30));
    Thread.sleep(1000);
    long at = System.nanoTime();
    Node dup = Node.start(jar, "fig-a", cluster, 2, Map.of());
    boolean exited = dup.process.waitFor(25, TimeUnit.SECONDS);
    long exitMs = (System.nanoTime() - at) / 1_000_000;
    Thread.sleep(1000);
    probe.stop();
    PacedProbe.Around seen = probe.around(at);
    String err = Files.readString(dup.err);
    String line = err.lines().filter(l -> l.contains("node.id")).findFirst().orElse("(no line naming node.id on stderr)");
    figure("duplicate node.id: failures on A", seen.failed());
    figure("duplicate node.id: refused after (ms)", exitMs);
    System.out.printf("duplicate run %d: %s; the duplicate %s after %d ms; stderr: %s%n", run, seen,
        exited ? "exited " + dup.process.exitValue() : "still runs", exitMs, line);
  }

  private static void rateLimit(String jar, int run) throws Exception {
    String cluster = cluster();
    Map<String, String> env = Map.of("SATELLITE_ROUTES", RATE_ROUTES);
    Node a = Node.start(jar, "fig-a", cluster, 1, env);
    a.awaitReady(60);
    Node b = Node.start(jar, "fig-b", cluster, 2, env);
    b.awaitReady(60);
    wrk(a.http, "/node-scope", 3);
    wrk(a.http, "/cluster-scope", 3);
    List<WrkResult> node = new ArrayList<>();
    List<WrkResult> shared = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      node.add(wrk(a.http, "/node-scope", 5));
      shared.add(wrk(a.http, "/cluster-scope", 5));
    }
    WrkResult n = median(node);
    WrkResult c = median(shared);
    figure("rate limit scope cluster: p50 added (ms)", c.p50Ms() - n.p50Ms());
    figure("rate limit scope cluster: throughput / scope node", c.rps() / n.rps());
    System.out.printf("ratelimit run %d: node scope %.0f req/s p50 %.3f ms p99 %.3f ms; cluster scope %.0f req/s"
        + " p50 %.3f ms p99 %.3f ms (medians of 3 interleaved 5 s rounds, wrk -t1 -c16 on A)%n", run, n.rps(),
        n.p50Ms(), n.p99Ms(), c.rps(), c.p50Ms(), c.p99Ms());
    // accuracy: 10 s of load on both nodes against one shared bucket of 50/s + burst 50: 550 may pass
    Process wa = wrkProcess(a.http, "/shared-50", 10);
    Process wb = wrkProcess(b.http, "/shared-50", 10);
    WrkResult ra = WrkResult.parse(new String(wa.getInputStream().readAllBytes()));
    WrkResult rb = WrkResult.parse(new String(wb.getInputStream().readAllBytes()));
    wa.waitFor();
    wb.waitFor();
    long admitted = ra.requests() - ra.non2xx() + rb.requests() - rb.non2xx();
    double expected = 50 * ra.seconds() + 50;
    figure("shared limit 50/s + 50 over 10 s: admitted / allowed", admitted / expected);
    System.out.printf("ratelimit run %d: %d admitted over %.1f s on two nodes (allowed %.0f: %+.1f %%), %d refused%n", run,
        admitted, ra.seconds(), expected, 100 * (admitted - expected) / expected, ra.non2xx() + rb.non2xx());
  }

  private static void busy(String jar, int run) throws Exception {
    for (String ejectAfter : List.of("300ms", "600ms", "1s")) {
      String cluster = cluster();
      Map<String, String> env = Map.of(ConfigTree.envName("cluster.ejectAfter"), ejectAfter);
      Node a = Node.start(jar, "fig-a", cluster, 1, env);
      a.awaitReady(60);
      Node b = Node.start(jar, "fig-b", cluster, 2, env);
      b.awaitReady(60);
      List<Process> spinners = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          spinners.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
        }
        Process wa = new ProcessBuilder("wrk", "-t1", "-c32", "-d" + BUSY_SECONDS + "s", "--latency", "http://127.0.0.1:" + a.http
            + "/whoami").redirectErrorStream(true).start();
        Process wb = new ProcessBuilder("wrk", "-t1", "-c32", "-d" + BUSY_SECONDS + "s", "--latency", "http://127.0.0.1:" + b.http
            + "/whoami").redirectErrorStream(true).start();
        WrkResult ra = WrkResult.parse(new String(wa.getInputStream().readAllBytes()));
        WrkResult rb = WrkResult.parse(new String(wb.getInputStream().readAllBytes()));
        wa.waitFor();
        wb.waitFor();
        long ejections = a.counter("satellite_cluster_ejections_total") + b.counter("satellite_cluster_ejections_total");
        long lost = a.counter("satellite_cluster_lost_requests_total") + b.counter("satellite_cluster_lost_requests_total");
        long removed = a.counter("satellite_cluster_membership_changes_total{change=\"left\"")
            + b.counter("satellite_cluster_membership_changes_total{change=\"left\"");
        figure("busy " + BUSY_SECONDS + " s, ejectAfter " + ejectAfter + ": false ejections", ejections);
        figure("busy " + BUSY_SECONDS + " s, ejectAfter " + ejectAfter + ": requests failed by them", lost);
        figure("busy " + BUSY_SECONDS + " s: Hazelcast member removals", removed);
        System.out.printf("busy run %d, ejectAfter %s: %d false ejections, %d requests failed by them, %d member removals;"
            + " %.0f + %.0f req/s, %d + %d non-2xx, p99 %.1f / %.1f ms, both alive: %s%n", run, ejectAfter, ejections, lost,
            removed, ra.rps(), rb.rps(), ra.non2xx(), rb.non2xx(), ra.p99Ms(), rb.p99Ms(),
            a.process.isAlive() && b.process.isAlive());
      } finally {
        spinners.forEach(Process::destroyForcibly);
        killAll();
      }
    }
  }

  private static WrkResult median(List<WrkResult> results) {
    List<WrkResult> sorted = new ArrayList<>(results);
    sorted.sort((x, y) -> Double.compare(x.rps(), y.rps()));
    return sorted.get(sorted.size() / 2);
  }

  private static WrkResult wrk(int port, String path, int seconds) throws Exception {
    Process p = wrkProcess(port, path, seconds);
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return WrkResult.parse(out);
  }

  private static Process wrkProcess(int port, String path, int seconds) throws IOException {
    return new ProcessBuilder("wrk", "-t1", "-c16", "-d" + seconds + "s", "--latency", "http://127.0.0.1:" + port + path)
        .redirectErrorStream(true).start();
  }

  // ---- processes -----------------------------------------------------------------------------------------

  private static String cluster() {
    return "fig-" + Long.toHexString(System.nanoTime());
  }

  private static void kill(String signal, long pid) throws Exception {
    new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
  }

  private static synchronized void killAll() {
    for (Node n : RUNNING) {
      try {
        kill("CONT", n.process.pid());
        n.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // best effort
      }
    }
    RUNNING.clear();
  }

  /** One node process: stdout and stderr to files of their own. */
  private record Node(Process process, int http, int admin, long started, Path err) {

    static Node start(String jar, String id, String cluster, int slot, Map<String, String> env) throws IOException {
      int http = 18400 + slot;
      int admin = 19400 + slot;
      ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m", "-jar", jar, "run", "--cluster");
      pb.environment().keySet().removeIf(k -> k.startsWith("SATELLITE_"));
      pb.environment().putAll(Map.of("SATELLITE_NODE_ID", id, "SATELLITE_CLUSTER_NAME", cluster,
          "SATELLITE_HTTP_HOST", "127.0.0.1", "SATELLITE_HTTP_PORT", String.valueOf(http),
          "SATELLITE_ADMIN_PORT", String.valueOf(admin), "SATELLITE_ADMIN_TOKEN", TOKEN));
      pb.environment().putAll(env);
      File out = File.createTempFile("figures-" + id + "-", ".log");
      File err = File.createTempFile("figures-" + id + "-", ".err");
      long started = System.nanoTime();
      Node n = new Node(pb.redirectOutput(out).redirectError(err).start(), http, admin, started, err.toPath());
      synchronized (ClusterFigures.class) {
        RUNNING.add(n);
      }
      return n;
    }

    /** Ms from the process start to ready on the admin port. */
    long awaitReady(int seconds) throws Exception {
      long until = started + TimeUnit.SECONDS.toNanos(seconds);
      while (status(admin, "/health/ready") != 200) {
        if (!process.isAlive() || System.nanoTime() > until) {
          throw new IllegalStateException("node on " + http + " not ready (" + (process.isAlive() ? "running"
              : "exited " + process.exitValue()) + ")");
        }
        Thread.sleep(10);
      }
      return (System.nanoTime() - started) / 1_000_000;
    }

    /** The sum of the samples of a counter whose lines start with {@code prefix} on {@code /metrics}. */
    long counter(String prefix) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return (long) r.body().lines().filter(l -> l.startsWith(prefix))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
      } catch (Exception e) {
        return -1;
      }
    }

    /** The members this node sees ({@code satellite_cluster_members}), or -1. */
    int members() {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body().lines().filter(l -> l.startsWith("satellite_cluster_members ")).findFirst()
            .map(l -> (int) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).orElse(-1);
      } catch (Exception e) {
        return -1;
      }
    }
  }

  private static int status(int port, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
