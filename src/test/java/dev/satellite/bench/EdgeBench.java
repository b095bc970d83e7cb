package dev.satellite.bench;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.File;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Edge-policy figures from the built jar (the node on CPU 1, this generator on CPU 0 when run by
 * {@code bench/edge.sh}):
 * <ol>
 *   <li>overhead: {@code GET /hello} with every policy on (rate limit, bulkhead, breaker, retry budget)
 *       against the same actor behind {@code /bare} with none, closed loop with 64 connections, interleaved
 *       round by round, median of the per-round ratios;</li>
 *   <li>overload: a route to {@code echo} with a 50 ms service time and a bulkhead of 10 (capacity about
 *       200 req/s) offered 10× that, open loop, latency measured from the intended send time (no coordinated
 *       omission); reports the node staying up, health latency, accepted p50/p99, refusals by status,
 *       504s, and connection errors.</li>
 * </ol>
 * Arguments: jar, rounds (default 5), seconds per round (default 5), overload seconds (default 30).
 */
public final class EdgeBench {

  private static final int PORT = 18280;
  private static final int ADMIN = 19280;

  private EdgeBench() {
  }

  public static void main(String[] args) throws Exception {
    String jar = args.length > 0 ? args[0] : "target/satellite.jar";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int overloadSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    Vertx vertx = Vertx.vertx();
    try {
      overhead(vertx, jar, rounds, seconds);
      overload(vertx, jar, overloadSeconds);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static Process node(String jar, Map<String, String> env) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (new File("/usr/bin/taskset").canExecute()) {
      cmd.addAll(List.of("taskset", "-c", "1"));
    }
    cmd.addAll(List.of("java", "-jar", jar, "run", "--set", "http.host=127.0.0.1", "--set", "http.port=" + PORT,
        "--set", "admin.port=" + ADMIN));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(File.createTempFile("edge-bench", ".log"));
    pb.environment().putAll(env);
    Process p = pb.start();
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < 600; i++) {
      try {
        if (http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return p;
        }
      } catch (Exception notYet) {
        // starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("node not ready");
  }

  // ---- overhead --------------------------------------------------------------------------------------

  private static void overhead(Vertx vertx, String jar, int rounds, int seconds) throws Exception {
    Process node = node(jar, Map.of("SATELLITE_ROUTES", "[{path: /hello, methods: [GET], actor: hello, concurrency: 100000,"
        + " rateLimit: {rps: 1000000, burst: 1000000}}, {path: /bare, methods: [GET], actor: hello, concurrency: 10000000,"
        + " rateLimit: {rps: 0}, breaker: {maxFailures: 0}, retry: {attempts: 1}}]"));
    try {
      closedLoop(vertx, "/hello", 5);
      closedLoop(vertx, "/bare", 5);
      List<Double> ratios = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        Result on = closedLoop(vertx, "/hello", seconds);
        Result off = closedLoop(vertx, "/bare", seconds);
        ratios.add(on.rps / off.rps);
        System.out.printf("round %d: all policies %.0f req/s (p99 %.2f ms, non-2xx %d), no policies %.0f req/s"
            + " (p99 %.2f ms, non-2xx %d), ratio %.3f%n", round, on.rps, on.p99, on.errors, off.rps, off.p99, off.errors,
            on.rps / off.rps);
      }
      Collections.sort(ratios);
      System.out.printf("edge stack overhead on /hello: all policies / none, median of %d rounds: %.3f%n", rounds,
          ratios.get(ratios.size() / 2));
    } finally {
      node.destroy();
      node.waitFor();
    }
  }

  private record Result(double rps, double p99, long errors) {
  }

  /** 64 connections, each with one request in flight at a time, for {@code seconds}. */
  private static Result closedLoop(Vertx vertx, String path, int seconds) throws Exception {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(64));
    Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Promise<Void> done = Promise.promise();
    AtomicLong running = new AtomicLong(64);
    RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(PORT).setURI(path);
    for (int c = 0; c < 64; c++) {
      vertx.runOnContext(v -> loop(client, options, end, latency, ok, errors, running, done));
    }
    long t0 = System.nanoTime();
    done.future().toCompletionStage().toCompletableFuture().get(seconds + 30L, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    client.close();
    return new Result(ok.get() / elapsed, latency.getValueAtPercentile(99) / 1e6, errors.get());
  }

  private static void loop(HttpClient client, RequestOptions options, long end, Histogram latency, AtomicLong ok,
      AtomicLong errors, AtomicLong running, Promise<Void> done) {
    if (System.nanoTime() >= end) {
      if (running.decrementAndGet() == 0) {
        done.complete();
      }
      return;
    }
    long start = System.nanoTime();
    client.request(options).compose(r -> r.send()).compose(r -> r.body().map(b -> r.statusCode())).onComplete(ar -> {
      synchronized (latency) {
        latency.recordValue(Math.min(System.nanoTime() - start, TimeUnit.SECONDS.toNanos(10) - 1));
      }
      if (ar.succeeded() && ar.result() / 100 == 2) {
        ok.incrementAndGet();
      } else {
        errors.incrementAndGet();
      }
      loop(client, options, end, latency, ok, errors, running, done);
    });
  }

  // ---- overload --------------------------------------------------------------------------------------

  private static void overload(Vertx vertx, String jar, int seconds) throws Exception {
    Process node = node(jar, Map.of(
        "SATELLITE_SUPERVISION_CHILDREN", "[{id: hello, actor: hello, instances: 2}, {id: whoami, actor: whoami},"
            + " {id: echo, actor: echo, instances: 2, settings: {delay: 50ms}}]",
        "SATELLITE_ROUTES", "[{path: /slow, methods: [POST], actor: echo, concurrency: 10, timeout: 1s}]"));
    try {
      int offered = 2000; // 10x the capacity of 10 in flight / 50 ms
      Histogram health = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
      AtomicLong healthFailures = new AtomicLong();
      HttpClient prober = vertx.createHttpClient(); // its own connection: the probe must not queue behind the load
      long probe = vertx.setPeriodic(500, t -> {
        long t0 = System.nanoTime();
        prober.request(new RequestOptions().setHost("127.0.0.1").setPort(PORT).setURI("/health/ready"))
            .compose(r -> r.send()).compose(r -> r.body().map(b -> r.statusCode())).onComplete(ar -> {
              if (ar.failed() || ar.result() != 200) {
                healthFailures.incrementAndGet();
              }
              synchronized (health) {
                health.recordValue(System.nanoTime() - t0);
              }
            });
      });
      OpenLoop.Result result;
      try {
        result = OpenLoop.run(vertx, new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(PORT)
            .setURI("/slow").putHeader("content-type", "application/json"), Buffer.buffer("{\"n\":1}"), offered, seconds);
      } finally {
        vertx.cancelTimer(probe);
        prober.close();
      }
      Histogram accepted = result.latency();
      long total = (long) offered * seconds;
      boolean alive = node.isAlive();
      System.out.printf("overload: offered %d req/s for %d s (%d requests) to a route with capacity ~200 req/s%n", offered,
          seconds, total);
      System.out.printf("  node alive afterwards: %s; /health/ready probes: %d, failed %d, p50 %.1f ms, p90 %.1f ms, max %.1f ms%n",
          alive, health.getTotalCount(), healthFailures.get(), health.getValueAtPercentile(50) / 1e6,
          health.getValueAtPercentile(90) / 1e6, health.getMaxValue() / 1e6);
      System.out.printf("  accepted (200): %d, latency from intended send p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          accepted.getTotalCount(), accepted.getValueAtPercentile(50) / 1e6, accepted.getValueAtPercentile(99) / 1e6,
          accepted.getMaxValue() / 1e6);
      System.out.printf("  answers by status: %s; connection errors seen by the client: %d%n", result.statuses(),
          result.connectionErrors());
    } finally {
      node.destroy();
      node.waitFor();
    }
  }
}
