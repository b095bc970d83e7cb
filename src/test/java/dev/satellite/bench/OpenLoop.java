package dev.satellite.bench;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * An open-loop load generator: requests go out at a fixed rate whatever the answers do, and each latency is
 * measured from the moment the request was due, not when it was sent — so a stalled server cannot hide its
 * stall (no coordinated omission). Latencies of 2xx answers only.
 *
 * <p>As a program (so the generator can run pinned to a CPU of its own, apart from the server):
 * {@code OpenLoop HOST PORT PATH RATE WARMUP_S MEASURE_S} warms up, measures, and prints one line:
 * {@code p50_ns p99_ns p999_ns count errors non2xx}.
 */
final class OpenLoop {

  private OpenLoop() {
  }

  public static void main(String[] args) throws Exception {
    RequestOptions options = new RequestOptions().setHost(args[0]).setPort(Integer.parseInt(args[1])).setURI(args[2]);
    int rate = Integer.parseInt(args[3]);
    Vertx vertx = Vertx.vertx();
    try {
      HttpClient client = client(vertx);
      // the warm-up warms this generator's JIT and the server alike, and opens the connections the run uses
      run(vertx, client, options, null, rate, Integer.parseInt(args[4]));
      Result r = run(vertx, client, options, null, rate, Integer.parseInt(args[5]));
      long non2xx = r.statuses().entrySet().stream().filter(e -> e.getKey() / 100 != 2).mapToLong(Map.Entry::getValue).sum();
      System.out.printf("%d %d %d %d %d %d%n", r.latency().getValueAtPercentile(50), r.latency().getValueAtPercentile(99),
          r.latency().getValueAtPercentile(99.9), r.latency().getTotalCount(), r.connectionErrors(), non2xx);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    System.exit(0);
  }

  record Result(Histogram latency, Map<Integer, Long> statuses, long connectionErrors) {
  }

  static Result run(Vertx vertx, RequestOptions options, int rate, int seconds) throws Exception {
    return run(vertx, options, null, rate, seconds);
  }

  static Result run(Vertx vertx, RequestOptions options, Buffer body, int rate, int seconds) throws Exception {
    HttpClient client = client(vertx);
    try {
      return run(vertx, client, options, body, rate, seconds);
    } finally {
      client.close();
    }
  }

  /** A client for {@link #run(Vertx, HttpClient, RequestOptions, Buffer, int, int)}: up to 1000 connections. */
  static HttpClient client(Vertx vertx) {
    return vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(1000).setMaxWaitQueueSize(-1));
  }

  /** A run on a client of the caller's, whose connections a warm-up run before it has already opened. */
  static Result run(Vertx vertx, HttpClient client, RequestOptions options, Buffer body, int rate, int seconds)
      throws Exception {
    Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    Map<Integer, Long> statuses = new TreeMap<>();
    AtomicLong errors = new AtomicLong();
    AtomicLong answered = new AtomicLong();
    long total = (long) rate * seconds;
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    long start = System.nanoTime();
    AtomicLong sent = new AtomicLong();
    Promise<Void> done = Promise.promise();
    long tick = vertx.setPeriodic(1, t -> {
      long due = Math.min(total, (System.nanoTime() - start) / interval + 1);
      while (sent.get() < due) {
        long intended = start + sent.getAndIncrement() * interval;
        client.request(options).compose(r -> body == null ? r.send() : r.send(body))
            .compose(r -> r.body().map(b -> r.statusCode())).onComplete(ar -> {
              synchronized (statuses) {
                if (ar.failed()) {
                  errors.incrementAndGet();
                } else {
                  statuses.merge(ar.result(), 1L, Long::sum);
                  if (ar.result() / 100 == 2) {
                    latency.recordValue(Math.min(Math.max(0, System.nanoTime() - intended), TimeUnit.SECONDS.toNanos(60) - 1));
                  }
                }
                if (answered.incrementAndGet() == total) {
                  done.tryComplete();
                }
              }
            });
      }
    });
    try {
      done.future().toCompletionStage().toCompletableFuture().get(seconds + 60L, TimeUnit.SECONDS);
    } finally {
      vertx.cancelTimer(tick);
    }
    return new Result(latency, statuses, errors.get());
  }
}
