package dev.satellite.admin;

import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Each route's 99th-percentile latency over the last interval, for the console: read from the percentile histogram
 * of {@link MetricNames#EDGE_DURATION} (the buckets Prometheus scrapes), as the difference between two readings —
 * so it is the p99 of the requests answered since the previous reading, not since the node started. The figure is a
 * bucket's upper bound (the histogram's resolution), in milliseconds; null when no request was answered.
 *
 * <p>Not thread-safe: one reader (the admin listener's event loop).
 */
final class RouteLatency {

  private final MeterRegistry registry;
  private final Map<String, double[]> previous = new HashMap<>();

  RouteLatency(MeterRegistry registry) {
    this.registry = registry;
  }

  /** {route: p99 in ms or null} since the previous call. */
  JsonObject p99() {
    JsonObject out = new JsonObject();
    for (Timer t : registry.find(MetricNames.EDGE_DURATION).timers()) {
      String route = t.getId().getTag("route");
      CountAtBucket[] buckets = t.takeSnapshot().histogramCounts();
      double[] counts = new double[buckets.length + 1]; // the buckets, then every request (beyond the last bucket too)
      for (int i = 0; i < buckets.length; i++) {
        counts[i] = buckets[i].count();
      }
      counts[buckets.length] = t.count();
      double[] before = previous.put(route, counts);
      out.put(route, before == null || before.length != counts.length ? null : percentile(buckets, counts, before, 0.99));
    }
    return out;
  }

  /**
   * The upper bound (ms) of the first bucket holding {@code q} of what was added between two cumulative readings
   * (each: the buckets' counts, then the total count); the last bucket's bound when even it holds less.
   */
  static Double percentile(CountAtBucket[] buckets, double[] now, double[] before, double q) {
    double total = now[buckets.length] - before[buckets.length];
    if (total <= 0) {
      return null;
    }
    for (int i = 0; i < buckets.length; i++) {
      if (now[i] - before[i] >= q * total) {
        return buckets[i].bucket(java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    }
    return buckets[buckets.length - 1].bucket(java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
