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
 */
final class OpenLoop {

  private OpenLoop() {
  }

  record Result(Histogram latency, Map<Integer, Long> statuses, long connectionErrors) {
  }

  static Result run(Vertx vertx, RequestOptions options, int rate, int seconds) throws Exception {
    return run(vertx, options, null, rate, seconds);
  }

  static Result run(Vertx vertx, RequestOptions options, Buffer body, int rate, int seconds) throws Exception {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(1000).setMaxWaitQueueSize(-1));
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
      client.close();
    }
    return new Result(latency, statuses, errors.get());
  }
}
