package dev.satellite.experiment.load;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Load statistics over a span of time: counts, outcomes by status, throughput of successful answers,
 * error rate and latency percentiles (measured from each request's intended send time).
 *
 * <p>An immutable value: thread-safe.
 *
 * @param sent                requests intended in the span (including overflow ones never put on the wire)
 * @param ok                  2xx answers
 * @param errors              every other outcome: non-2xx status, timeout, connect/io failure, overflow
 * @param byStatus            outcomes by HTTP status ("200", "503" …) or failure kind ("timeout", "connect", "io",
 *                            "overflow")
 * @param throughputPerSecond 2xx answers per second of the span
 * @param errorRate           errors / (ok + errors), 0 when nothing ended
 * @param p50Ms               median latency in milliseconds (0 when nothing ended)
 * @param p99Ms               99th percentile latency in milliseconds
 * @param maxMs               highest latency in milliseconds
 */
public record LoadWindow(long sent, long ok, long errors, Map<String, Long> byStatus, double throughputPerSecond,
                         double errorRate, double p50Ms, double p99Ms, double maxMs) {

  /** Nothing sent. */
  public static final LoadWindow EMPTY = new LoadWindow(0, 0, 0, Map.of(), 0, 0, 0, 0, 0);

  public LoadWindow {
    Objects.requireNonNull(byStatus, "byStatus");
    byStatus = Map.copyOf(byStatus);
  }

  /** The journal/stats form; keys exactly: sent, ok, errors, byStatus, throughput, errorRate, p50, p99, max. */
  public JsonObject toJson() {
    JsonObject statuses = new JsonObject();
    new TreeMap<>(byStatus).forEach(statuses::put);
    return new JsonObject()
        .put("sent", sent)
        .put("ok", ok)
        .put("errors", errors)
        .put("byStatus", statuses)
        .put("throughput", throughputPerSecond)
        .put("errorRate", errorRate)
        .put("p50", p50Ms)
        .put("p99", p99Ms)
        .put("max", maxMs);
  }
}
