package dev.satellite.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Traffic the way clients spread it: {@code clients} workers, each with an HTTP client (and so connections) of its
 * own, so the node's listener spreads them over every event loop; each sends one request at a time to the paths in
 * turn, pausing {@code pause} between requests. Bounded in time and in count; answers are tallied by status
 * ({@code -1}: no answer — refused, reset, timed out).
 */
final class Load {

  private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
  private final AtomicLong sent = new AtomicLong();

  /**
   * Runs the load for {@code duration} (at most {@code maxRequests} in all), or until {@code stop} says so; checks
   * {@code stop} between requests. Returns when every worker is done.
   */
  Load run(int port, List<String> paths, int clients, Duration pause, Duration duration, long maxRequests,
      BooleanSupplier stop) throws InterruptedException {
    long end = System.nanoTime() + duration.toNanos();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < clients; w++) {
      int first = w;
      Thread t = new Thread(() -> {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
        int i = first;
        while (System.nanoTime() < end && sent.incrementAndGet() <= maxRequests && !stop.getAsBoolean()) {
          String path = paths.get(i++ % paths.size());
          HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(3));
          if (path.equals("/echo")) {
            b.header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}"));
          }
          int status;
          try {
            status = http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
          } catch (Exception e) {
            status = -1;
          }
          statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
          try {
            Thread.sleep(pause.toMillis());
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "load-" + w);
      t.setDaemon(true);
      t.start();
      workers.add(t);
    }
    for (Thread t : workers) {
      t.join(duration.toMillis() + 10_000);
    }
    return this;
  }

  long count(int status) {
    AtomicLong n = statuses.get(status);
    return n == null ? 0 : n.get();
  }

  long total() {
    return statuses.values().stream().mapToLong(AtomicLong::get).sum();
  }

  @Override
  public String toString() {
    Map<Integer, Long> sorted = new TreeMap<>();
    statuses.forEach((k, v) -> sorted.put(k, v.get()));
    return sorted.toString();
  }
}
