package dev.satellite.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The side-by-side benchmark {@code bench/run.sh} drives: every server in turn, pinned to CPU 1
 * ({@code taskset -c 1}), loaded from CPU 0 ({@code taskset -c 0 wrk -t1 -c64}), warmed up, measured,
 * stopped; servers interleaved round by round so drift hits all of them alike; only 2xx counted. Writes
 * {@code results.md}, {@code results.json} and {@code chart.svg} to the output folder.
 *
 * <p>System properties: {@code jar}, {@code cp} (test classpath for the raw Vert.x peer), {@code go}
 * (Go peer binary), {@code node}, {@code express} (script, or empty when npm could not install it),
 * {@code out}, {@code rounds}, {@code warmup}, {@code measure} (seconds).
 */
public final class SideBySide {

  private static final int PORT = 18380;
  private static final int ADMIN = 19380;
  private static final int UPSTREAM = 18390;
  private static final Path ECHO_LUA = Path.of("bench/echo.lua");

  private final String jar = System.getProperty("jar", "target/satellite.jar");
  private final String cp = System.getProperty("cp", "");
  private final String go = System.getProperty("go", "");
  private final String node = System.getProperty("node", "bench/peers/node/server.js");
  private final String express = System.getProperty("express", "");
  private final Path out = Path.of(System.getProperty("out", "target/bench"));
  private final int rounds = Integer.getInteger("rounds", 5);
  private final int warmup = Integer.getInteger("warmup", 5);
  private final int measure = Integer.getInteger("measure", 5);
  private final BenchReport report = new BenchReport();

  private SideBySide() {
  }

  public static void main(String[] args) throws Exception {
    new SideBySide().run();
    System.exit(0);
  }

  private record Server(String name, List<String> command, Map<String, String> env, String readyPath) {
  }

  private List<String> satellite(String... sets) {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", jar, "run", "--set", "http.host=127.0.0.1", "--set",
        "http.port=" + PORT, "--set", "admin.port=" + ADMIN));
    for (String s : sets) {
      cmd.addAll(List.of("--set", s));
    }
    return cmd;
  }

  private void run() throws Exception {
    Files.createDirectories(out);
    List<Server> plaintext = new ArrayList<>();
    plaintext.add(new Server("satellite", satellite(), Map.of(), "/health/ready"));
    plaintext.add(new Server("satellite-bypass", satellite(), Map.of("SATELLITE_ROUTES",
        "[{path: /hello, methods: [GET], respond: 'Hello, World!', concurrency: 100000,"
            + " rateLimit: {rps: 1000000, burst: 1000000}}]"), "/health/ready"));
    plaintext.add(new Server("raw-vertx", List.of("java", "-cp", cp, "dev.satellite.bench.peers.RawVertxServer",
        String.valueOf(PORT)), Map.of(), "/hello"));
    plaintext.add(new Server("vertx-web-bus", List.of("java", "-cp", cp, "dev.satellite.bench.peers.VertxWebBusServer",
        String.valueOf(PORT)), Map.of(), "/hello"));
    if (!go.isEmpty()) {
      plaintext.add(new Server("go-net-http", List.of(go, String.valueOf(PORT)), Map.of(), "/hello"));
    } else {
      report.note("Go peer skipped: no Go toolchain could be installed");
    }
    plaintext.add(new Server("node-http", List.of("node", node, String.valueOf(PORT)), Map.of(), "/hello"));
    if (!express.isEmpty()) {
      plaintext.add(new Server("node-express", List.of("node", express, String.valueOf(PORT)), Map.of(), "/hello"));
    } else {
      report.note("Express peer skipped: npm could not install express");
    }
    interleave("plaintext GET /hello", plaintext, List.of("wrk", "-t1", "-c64", "--latency"), "/hello");

    List<Server> echo = new ArrayList<>();
    for (Server s : plaintext) {
      if (!s.name().equals("satellite-bypass")) {
        echo.add(s);
      }
    }
    interleave("JSON echo POST /echo (1 KB)", echo, List.of("wrk", "-t1", "-c64", "--latency", "-s", ECHO_LUA.toString()), "/echo");

    if (!go.isEmpty()) {
      proxies();
    }
    crossNode();

    List<BenchReport.Ratio> ratios = List.of(
        new BenchReport.Ratio("plaintext GET /hello", "satellite", "raw-vertx", 0.8),
        new BenchReport.Ratio("plaintext GET /hello", "satellite", "go-net-http", 1.0),
        new BenchReport.Ratio("plaintext GET /hello", "satellite", "node-http", 1.5),
        new BenchReport.Ratio("plaintext GET /hello", "satellite-bypass", "raw-vertx", 0.9),
        new BenchReport.Ratio("reverse proxy to a Go upstream", "satellite-proxy", "nginx-proxy", 1.0),
        // no targets: where the cost goes (Vert.x's router and bus hop, then Satellite's own edge stack)
        new BenchReport.Ratio("plaintext GET /hello", "vertx-web-bus", "raw-vertx", Double.NaN),
        new BenchReport.Ratio("plaintext GET /hello", "satellite", "vertx-web-bus", Double.NaN),
        new BenchReport.Ratio("JSON echo POST /echo (1 KB)", "satellite", "vertx-web-bus", Double.NaN));
    String md = "# Side-by-side benchmark\n\n" + String.format(Locale.ROOT,
        "%d rounds; per server and round: start pinned to CPU 1, %d s warm-up, %d s measured with"
            + " `taskset -c 0 wrk -t1 -c64`, stop. Only 2xx answers count; a run with more than 1%% non-2xx or socket"
            + " errors is a failed run.%n%n", rounds, warmup, measure) + report.markdown(ratios);
    Files.writeString(out.resolve("results.md"), md);
    Files.writeString(out.resolve("results.json"), report.json(ratios).encodePrettily());
    Files.writeString(out.resolve("chart.svg"), report.svg("plaintext GET /hello"));
    System.out.println(md);
  }

  /** Every server of a scenario, round by round. */
  private void interleave(String scenario, List<Server> servers, List<String> wrk, String path) throws Exception {
    for (int round = 1; round <= rounds; round++) {
      for (Server server : servers) {
        WrkResult result = null;
        Process p = start(server);
        try {
          load(wrk, path, warmup);
          result = WrkResult.parse(load(wrk, path, measure));
        } catch (IOException | RuntimeException e) {
          report.note(server.name() + " round " + round + " (" + scenario + ") failed: " + e.getMessage());
        } finally {
          stop(p);
        }
        report.add(scenario, server.name(), result);
        System.out.printf(Locale.ROOT, "%s round %d %s: %s%n", scenario, round, server.name(),
            result == null ? "failed" : String.format(Locale.ROOT, "%.0f req/s, p99 %.3f ms%s", result.rps(), result.p99Ms(),
                result.failed() ? " (FAILED: non-2xx or socket errors)" : ""));
      }
    }
  }

  private Process start(Server server) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("taskset", "-c", "1"));
    cmd.addAll(server.command());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(File.createTempFile("side-by-side-" + server.name(), ".log"));
    pb.environment().putAll(server.env());
    Process p = pb.start();
    awaitStatus(PORT, server.readyPath(), p);
    return p;
  }

  private static void awaitStatus(int port, String path, Process p) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < 600; i++) {
      if (p != null && !p.isAlive()) {
        throw new IllegalStateException("server exited with " + p.exitValue());
      }
      try {
        if (http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("not ready on " + port + path);
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(15, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
  }

  private static String load(List<String> wrk, String path, int seconds) throws Exception {
    return load(wrk, "http://127.0.0.1:" + PORT + path, seconds, true);
  }

  private static String load(List<String> wrk, String url, int seconds, boolean pinned) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (pinned) {
      cmd.addAll(List.of("taskset", "-c", "0"));
    }
    cmd.addAll(wrk);
    cmd.addAll(List.of("-d", seconds + "s", url));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("wrk failed: " + output);
    }
    return output;
  }

  // ---- reverse proxy, latency of one hop ----------------------------------------------------------------

  private void proxies() throws Exception {
    Process upstream = new ProcessBuilder("taskset", "-c", "0", go, String.valueOf(UPSTREAM)).redirectErrorStream(true)
        .redirectOutput(File.createTempFile("side-by-side-upstream", ".log")).start();
    try {
      awaitStatus(UPSTREAM, "/hello", upstream);
      Path nginxConf = out.resolve("nginx.conf").toAbsolutePath();
      Files.writeString(nginxConf, String.join("\n",
          "# generated by SideBySide: nginx with its defaults, proxying to the same upstream",
          "worker_processes auto;",
          "pid " + out.resolve("nginx.pid").toAbsolutePath() + ";",
          "error_log " + out.resolve("nginx-error.log").toAbsolutePath() + ";",
          "events {}",
          "http {",
          "  access_log off;",
          "  server {",
          "    listen 127.0.0.1:" + PORT + ";",
          "    location / { proxy_pass http://127.0.0.1:" + UPSTREAM + "; }",
          "  }",
          "}", ""));
      List<Server> proxies = List.of(
          new Server("satellite-proxy", satellite(), Map.of("SATELLITE_ROUTES",
              "[{path: /hello, methods: [GET], upstream: 'http://127.0.0.1:" + UPSTREAM + "', concurrency: 100000,"
                  + " rateLimit: {rps: 1000000, burst: 1000000}}]"), "/hello"),
          new Server("nginx-proxy", List.of("nginx", "-c", nginxConf.toString(), "-g", "daemon off;"), Map.of(), "/hello"));
      interleave("reverse proxy to a Go upstream", proxies, List.of("wrk", "-t1", "-c64", "--latency"), "/hello");
      double maxRps = report.median("reverse proxy to a Go upstream", "satellite-proxy", WrkResult::rps);
      double p99Satellite = report.median("reverse proxy to a Go upstream", "satellite-proxy", WrkResult::p99Ms);
      double p99Nginx = report.median("reverse proxy to a Go upstream", "nginx-proxy", WrkResult::p99Ms);
      report.extra("proxy p99, satellite / nginx (target ≤ 1.5)", String.format(Locale.ROOT, "%.3f ms / %.3f ms = %.2f",
          p99Satellite, p99Nginx, p99Satellite / p99Nginx));
      if (!Double.isNaN(maxRps)) {
        hopLatency((int) Math.max(100, maxRps / 2));
      }
    } finally {
      stop(upstream);
    }
  }

  /**
   * Open-loop at a fixed rate (latency from the intended send time), direct to the upstream and through one
   * Satellite hop. The generator runs in a JVM of its own pinned to CPU 0 (beside the upstream, like wrk), and
   * warms up before each measurement, so both sides of the comparison get the same treatment.
   */
  private void hopLatency(int rate) throws Exception {
    long[] direct = openLoop(UPSTREAM, rate);
    Server proxy = new Server("satellite-proxy", satellite(), Map.of("SATELLITE_ROUTES",
        "[{path: /hello, methods: [GET], upstream: 'http://127.0.0.1:" + UPSTREAM + "', concurrency: 100000,"
            + " rateLimit: {rps: 1000000, burst: 1000000}}]"), "/hello");
    Process p = start(proxy);
    long[] hop;
    try {
      hop = openLoop(PORT, rate);
    } finally {
      stop(p);
    }
    report.extra(String.format(Locale.ROOT, "latency at %d req/s (50%% of the proxy's max), direct to the upstream", rate),
        percentiles(direct));
    report.extra("latency at the same rate through one Satellite hop", percentiles(hop));
    report.extra("added p50 latency of one Satellite hop (target ≤ 0.5 ms)", String.format(Locale.ROOT, "%.3f ms",
        (hop[0] - direct[0]) / 1e6));
  }

  /** p50, p99, p99.9 (ns), count, connection errors, non-2xx of an open-loop run against {@code port}. */
  private long[] openLoop(int port, int rate) throws Exception {
    Process p = new ProcessBuilder("taskset", "-c", "0", "java", "-cp", cp, "dev.satellite.bench.OpenLoop", "127.0.0.1",
        String.valueOf(port), "/hello", String.valueOf(rate), String.valueOf(warmup), String.valueOf(measure))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0) {
      throw new IOException("open-loop generator failed: " + out);
    }
    String[] last = out.lines().reduce((a, b) -> b).orElse("").trim().split(" ");
    long[] values = new long[last.length];
    for (int i = 0; i < last.length; i++) {
      values[i] = Long.parseLong(last[i]);
    }
    return values;
  }

  private static String percentiles(long[] v) {
    return String.format(Locale.ROOT, "p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms (%d requests, %d errors, %d non-2xx)",
        v[0] / 1e6, v[1] / 1e6, v[2] / 1e6, v[3], v[4], v[5]);
  }

  // ---- cross-node ----------------------------------------------------------------------------------------

  private void crossNode() throws Exception {
    String cluster = "side-by-side-" + System.nanoTime();
    List<String> a = new ArrayList<>(List.of("taskset", "-c", "1"));
    a.addAll(satellite("node.id=bench-a", "cluster.name=" + cluster, "cluster.enabled=true"));
    List<String> b = new ArrayList<>(List.of("taskset", "-c", "1", "java", "-jar", jar, "run", "--set", "http.host=127.0.0.1",
        "--set", "http.port=" + (PORT + 1), "--set", "admin.port=" + (ADMIN + 1), "--set", "node.id=bench-b", "--set",
        "cluster.name=" + cluster, "--set", "cluster.enabled=true"));
    Process pa = new ProcessBuilder(a).redirectErrorStream(true).redirectOutput(File.createTempFile("cross-a", ".log")).start();
    Process pb = null;
    try {
      awaitStatus(PORT, "/health/ready", pa);
      pb = new ProcessBuilder(b).redirectErrorStream(true).redirectOutput(File.createTempFile("cross-b", ".log")).start();
      awaitStatus(PORT + 1, "/health/ready", pb);
      List<String> wrk = List.of("wrk", "-t1", "-c64", "--latency");
      load(wrk, "/whoami", warmup);
      for (int round = 1; round <= rounds; round++) {
        report.add("GET /whoami on a 2-node cluster (half the answers cross nodes)", "satellite-cluster",
            WrkResult.parse(load(wrk, "/whoami", measure)));
      }
    } finally {
      if (pb != null) {
        stop(pb);
      }
      stop(pa);
    }
  }
}
