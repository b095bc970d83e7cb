package dev.satellite.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Publish-to-receive latency of push across a cluster: two clustered nodes from the jar, A and B, with S SSE
 * subscribers of one topic on each; M messages published on A at a steady R per second (an open model: each at its
 * planned time, latency counted from that time, so a stall is not hidden by waiting for it); every subscriber
 * records when each message arrives. The first 3 s of messages warm the nodes up and are not counted. Reported: the
 * publish's own answer (202), and per side subscribers on A (the publishing node) and on B (the message
 * crossed the cluster: ringbuffer append on the topic's owner and backup, a bus wake-up, B's read of the ringbuffer).
 * Publisher, subscribers and both nodes share this machine's cores and this process's clock.
 *
 * <p>Usage: {@code PushLatencyBench JAR [SUBSCRIBERS_PER_NODE] [MESSAGES] [PER_SECOND]}
 */
public final class PushLatencyBench {

  private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    String jar = args[0];
    int s = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int m = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    int rate = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    int warm = rate * 3;
    String cluster = "push-latency-" + Long.toHexString(System.nanoTime());
    List<Process> nodes = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    try {
      nodes.add(start(jar, "bench-a", cluster, 18491, 19491));
      awaitReady(19491, nodes.get(0));
      nodes.add(start(jar, "bench-b", cluster, 18492, 19492));
      awaitReady(19492, nodes.get(1));
      Recorder onA = new Recorder(3);
      Recorder onB = new Recorder(3);
      AtomicLong received = new AtomicLong();
      long t0 = System.nanoTime() + TimeUnit.SECONDS.toNanos(2); // the planned time of message 0
      subscribe(vertx, 18491, s, onA, received, t0, rate, warm);
      subscribe(vertx, 18492, s, onB, received, t0, rate, warm);
      HttpClient publisher = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(18491), new PoolOptions().setHttp1MaxSize(16));
      AtomicInteger failed = new AtomicInteger();
      Recorder acked = new Recorder(3);
      long every = TimeUnit.SECONDS.toNanos(1) / rate;
      for (int i = 0; i < warm + m; i++) {
        long planned = t0 + i * every;
        long wait = planned - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        int n = i;
        vertx.runOnContext(v -> publisher.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/push/latency")
            .addHeader("Content-Type", "application/json")).compose(r -> r.send(Buffer.buffer("{\"i\":" + n + "}")))
            .compose(r -> r.body().map(b -> r.statusCode())).onComplete(ar -> {
              if (n >= warm) {
                acked.recordValue(Math.max(0, System.nanoTime() - planned));
              }
              if (ar.failed() || ar.result() != 202) {
                failed.incrementAndGet();
              }
            }));
      }
      long expected = 2L * s * (warm + m);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (received.get() < expected - 2L * s * failed.get() && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      System.out.printf("2 nodes, %d SSE subscribers on each, %d messages published on A at %d/s after %d to warm up (%d not"
          + " acknowledged); %d of %d deliveries%n", s, m, rate, warm, failed.get(), received.get(), expected);
      print("publish to 202 on A", acked.getIntervalHistogram());
      print("publish to receive on A", onA.getIntervalHistogram());
      print("publish to receive on B", onB.getIntervalHistogram());
    } finally {
      vertx.close();
      for (Process p : nodes) {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static void print(String side, Histogram h) {
    System.out.printf("%-26s: %d samples, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms,"
        + " max %.1f ms%n", side, h.getTotalCount(), h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6,
        h.getValueAtPercentile(99) / 1e6, h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6);
  }

  /** S streams of the topic on {@code port}; each message's latency from its planned publish time. */
  private static void subscribe(Vertx vertx, int port, int s, Recorder latency, AtomicLong received, long t0, int rate,
      int warm) throws Exception {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(s + 1));
    long every = TimeUnit.SECONDS.toNanos(1) / rate;
    List<Future<?>> open = new ArrayList<>();
    for (int i = 0; i < s; i++) {
      open.add(client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/push/latency")
          .addHeader("Accept", "text/event-stream")).compose(r -> r.send()).map(resp -> {
            StringBuilder pending = new StringBuilder();
            resp.handler(b -> {
              long now = System.nanoTime();
              pending.append(b.toString());
              int at;
              while ((at = pending.indexOf("\"i\":")) >= 0) {
                int end = pending.indexOf("}", at);
                if (end < 0) {
                  break;
                }
                long n = Long.parseLong(pending.substring(at + 4, end));
                if (n >= warm) {
                  latency.recordValue(Math.max(0, now - (t0 + n * every)));
                }
                received.incrementAndGet();
                pending.delete(0, end + 1);
              }
            });
            return resp;
          }));
    }
    Future.all(open).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static Process start(String jar, String id, String cluster, int http, int admin) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-jar", jar, "run", "--cluster", "--set", "node.id=" + id, "--set", "cluster.name=" + cluster,
        "--set", "http.host=127.0.0.1", "--set", "http.port=" + http, "--set", "admin.port=" + admin,
        "--set", "log.level=WARN");
    pb.environment().keySet().removeIf(k -> k.startsWith("SATELLITE_"));
    return pb.redirectErrorStream(true).redirectOutput(File.createTempFile("push-latency-" + id, ".log")).start();
  }

  private static void awaitReady(int admin, Process node) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < until && node.isAlive()) {
      try {
        if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/health/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("node on admin port " + admin + " not ready");
  }
}
