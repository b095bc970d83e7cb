package dev.satellite.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Push fan-out on one node from the jar: N SSE subscribers of one topic (the node's RSS before and after they
 * connect, per subscriber), then M messages published with 4 in flight: deliveries per second to all of them (from
 * the first publish until every subscriber has every message), and publish-to-receive latency sampled on 50
 * subscribers (publisher and subscribers share this process's clock). Client and node share the machine; publishes get a
 * 30 s deadline, as the fan-out of each message competes with them for the node's event loops.
 *
 * <p>Usage: {@code PushBench JAR [SUBSCRIBERS] [MESSAGES]}
 */
public final class PushBench {

  private static final int HTTP = 18480;
  private static final int ADMIN = 19480;
  private static final int SAMPLED = 50;

  public static void main(String[] args) throws Exception {
    String jar = args[0];
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int m = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    Process node = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-jar", jar, "run", "--set", "http.host=127.0.0.1", "--set", "http.port=" + HTTP, "--set", "admin.port=" + ADMIN,
        "--set", "push.maxSubscribers=" + (n + 100), "--set", "edge.maxConnections=" + (n + 1000),
        "--set", "http.requestTimeout=30s", "--set", "log.level=WARN").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Vertx vertx = Vertx.vertx();
    try {
      awaitReady();
      long rss0 = rssKb(node.pid());
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(HTTP),
          new PoolOptions().setHttp1MaxSize(n + 10));
      AtomicLong delivered = new AtomicLong();
      ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
      AtomicInteger open = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      long c0 = System.nanoTime();
      for (int i = 0; i < n; i += 500) {
        List<Future<?>> batch = new ArrayList<>();
        for (int j = i; j < Math.min(n, i + 500); j++) {
          boolean sampled = j < SAMPLED;
          batch.add(client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/push/bench")
              .addHeader("Accept", "text/event-stream")).compose(r -> r.send()).map(resp -> {
                if (resp.statusCode() != 200) { // shed (503) while the node's loops ran late: not a subscriber
                  refused.incrementAndGet();
                  return resp;
                }
                open.incrementAndGet();
                Stream stream = new Stream(delivered, sampled ? latencies : null);
                resp.handler(stream::feed);
                return resp;
              }));
        }
        Future.all(batch).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      long connectMs = (System.nanoTime() - c0) / 1_000_000;
      System.gc();
      Thread.sleep(2000); // let the node settle before reading its RSS
      long rss1 = rssKb(node.pid());
      System.out.printf("subscribers %d connected (%d refused) in %d ms; node RSS %d MiB -> %d MiB: %.1f KiB per subscriber%n",
          open.get(), refused.get(), connectMs, rss0 / 1024, rss1 / 1024, (rss1 - rss0) / (double) open.get());

      HttpClient publisher = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(HTTP),
          new PoolOptions().setHttp1MaxSize(4));
      long expected = (long) open.get() * m;
      long before = delivered.get();
      long t0 = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> lanes = new ArrayList<>();
      for (int lane = 0; lane < 4; lane++) {
        lanes.add(publishLoop(vertx, publisher, next, m));
      }
      Future.all(lanes).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      long published = System.nanoTime();
      long deadline = published + TimeUnit.SECONDS.toNanos(120);
      while (delivered.get() - before < expected && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      long t1 = System.nanoTime();
      double seconds = (t1 - t0) / 1e9;
      System.out.printf("published %d messages in %d ms (%d publishes shed with 503 and retried); delivered %d of %d in %.2f s: %.0f deliveries/s%n", m,
          (published - t0) / 1_000_000, SHED.get(), delivered.get() - before, expected, seconds, (delivered.get() - before) / seconds);
      long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      if (l.length > 0) {
        System.out.printf("publish-to-receive (%d samples on %d subscribers): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
            l.length, SAMPLED, l[l.length / 2] / 1e6, l[(int) (l.length * 0.99)] / 1e6, l[l.length - 1] / 1e6);
      }
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ADMIN + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body().lines()
          .filter(line -> line.startsWith("satellite_push_") || line.startsWith("satellite_edge_requests_total{outcome=\"shed\""))
          .forEach(line -> System.out.println("node: " + line));
    } finally {
      vertx.close();
      node.destroy();
      node.waitFor(20, TimeUnit.SECONDS);
      node.destroyForcibly();
    }
  }

  private static final AtomicInteger SHED = new AtomicInteger();

  /** Publishes the next message until {@code m} are; a 503 (the node shedding load) is retried after 20 ms. */
  private static Future<Void> publishLoop(Vertx vertx, HttpClient publisher, AtomicInteger next, int m) {
    int i = next.getAndIncrement();
    if (i >= m) {
      return Future.succeededFuture();
    }
    return publishOne(vertx, publisher, i).compose(v -> publishLoop(vertx, publisher, next, m));
  }

  private static Future<Void> publishOne(Vertx vertx, HttpClient publisher, int i) {
    String body = "{\"i\":" + i + ",\"t\":" + System.nanoTime() + ",\"pad\":\"" + "x".repeat(64) + "\"}";
    return publisher.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/push/bench")
        .addHeader("Content-Type", "application/json")).compose(r -> r.send(Buffer.buffer(body)))
        .compose(r -> r.body().map(b -> r.statusCode())).compose(status -> {
          if (status == 202) {
            return Future.succeededFuture();
          }
          if (status != 503) {
            return Future.failedFuture("publish answered " + status);
          }
          SHED.incrementAndGet();
          return vertx.timer(20, TimeUnit.MILLISECONDS).compose(t -> publishOne(vertx, publisher, i));
        });
  }

  /**
   * One subscriber's stream as the bench reads it: events are counted at their blank line (chunks may split them
   * anywhere; the first block is the stream's {@code retry:}), and a sampled stream parses each event's send time.
   */
  private static final class Stream {
    private final AtomicLong delivered;
    private final ConcurrentLinkedQueue<Long> latencies;
    private final StringBuilder event = new StringBuilder();
    private boolean newline;
    private boolean opened;
    private boolean blockStart = true;
    private boolean comment;

    Stream(AtomicLong delivered, ConcurrentLinkedQueue<Long> latencies) {
      this.delivered = delivered;
      this.latencies = latencies;
    }

    void feed(Buffer b) {
      for (int i = 0; i < b.length(); i++) {
        byte c = b.getByte(i);
        if (blockStart) {
          comment = c == ':'; // a heartbeat
          blockStart = false;
        }
        if (latencies != null) {
          event.append((char) c);
        }
        if (c == '\n' && newline) {
          if (opened && !comment) {
            delivered.incrementAndGet();
            sample();
          }
          opened = true;
          event.setLength(0);
          newline = false;
          blockStart = true;
        } else {
          newline = c == '\n';
        }
      }
    }

    private void sample() {
      if (latencies == null) {
        return;
      }
      int t = event.indexOf("\"t\":");
      int end = t < 0 ? -1 : event.indexOf(",", t);
      if (end > 0) {
        latencies.add(System.nanoTime() - Long.parseLong(event.substring(t + 4, end)));
      }
    }
  }

  private static long rssKb(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(Arrays.stream(line.split("\\s+")).filter(w -> w.matches("\\d+")).findFirst().orElse("0"));
      }
    }
    return 0;
  }

  private static void awaitReady() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < until) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ADMIN + "/health/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("node not ready in 60 s");
  }
}
