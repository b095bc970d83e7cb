package dev.satellite.experiment.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Per-second buckets of a load run, keyed by each request's <em>intended</em> send time: a request intended
 * in second {@code s} counts as sent in {@code s} and its outcome and latency land in {@code s} when it ends.
 * The timeline, the sliding windows and the total are all read from these buckets.
 *
 * <p>Thread-safe (every method synchronizes on the recorder; the sender writes, probes read).
 */
final class LoadRecorder {

  /** Latencies in microseconds; two significant digits (1 %) keep a bucket small. */
  private static final int BUCKET_DIGITS = 2;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final long startNanos;
  private final List<Bucket> buckets = new ArrayList<>();
  private final Histogram all = new Histogram(3);
  private long endNanos = Long.MIN_VALUE;

  /** @param startNanos the run's second 0, on the ticker the caller uses */
  LoadRecorder(long startNanos) {
    this.startNanos = startNanos;
  }

  /** Counts a request intended at {@code intendedNanos} as sent. */
  synchronized void sent(long intendedNanos) {
    bucket(intendedNanos).sent++;
  }

  /**
   * Records how a request intended at {@code intendedNanos} ended at {@code endedNanos}. The latency is
   * recorded unless the request never went out (overflow).
   */
  synchronized void ended(long intendedNanos, long endedNanos, Outcome outcome) {
    Bucket bucket = bucket(intendedNanos);
    if (outcome.ok()) {
      bucket.ok++;
    } else {
      bucket.errors++;
    }
    bucket.byStatus.merge(outcome.key(), 1L, Long::sum);
    if (outcome != Outcome.OVERFLOW) {
      long micros = Math.max(1, (endedNanos - intendedNanos) / 1_000);
      bucket.latency.recordValue(micros);
      all.recordValue(micros);
    }
  }

  /** Freezes the run's end: windows and the total are then measured up to {@code nanos}, not to now. */
  synchronized void end(long nanos) {
    if (endNanos == Long.MIN_VALUE) {
      endNanos = nanos;
    }
  }

  /**
   * The statistics of the last {@code last} before {@code nowNanos} (or the run's end), in whole seconds:
   * the buckets of the current second and the ones before it, as many as {@code last} covers (at least one).
   * Throughput is divided by the time those buckets cover so far.
   */
  synchronized LoadWindow window(long nowNanos, Duration last) {
    long until = until(nowNanos);
    long elapsed = until - startNanos;
    if (elapsed <= 0 || buckets.isEmpty()) {
      return LoadWindow.EMPTY;
    }
    long current = elapsed / NANOS_PER_SECOND;
    long seconds = Math.max(1, (last.toNanos() + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    long first = Math.max(0, current - seconds + 1);
    double spanSeconds = (elapsed - first * NANOS_PER_SECOND) / 1e9;
    return summarize((int) first, (int) current, spanSeconds, null);
  }

  /** The statistics of the whole run up to {@code nowNanos} (or the run's end). */
  synchronized LoadWindow total(long nowNanos) {
    long elapsed = until(nowNanos) - startNanos;
    if (elapsed <= 0 || buckets.isEmpty()) {
      return LoadWindow.EMPTY;
    }
    return summarize(0, buckets.size() - 1, elapsed / 1e9, all);
  }

  /**
   * One entry per second from 0 to the last second anything was intended in:
   * {@code {t, sent, ok, errors, byStatus, throughput, errorRate, p50, p99}}, with {@code t} in seconds since
   * the run's start and throughput the 2xx answers of that second.
   */
  synchronized JsonArray timeline() {
    JsonArray entries = new JsonArray();
    for (int i = 0; i < buckets.size(); i++) {
      Bucket b = buckets.get(i);
      JsonObject statuses = new JsonObject();
      new TreeMap<>(b.byStatus).forEach(statuses::put);
      boolean any = b.latency.getTotalCount() > 0;
      entries.add(new JsonObject()
          .put("t", i)
          .put("sent", b.sent)
          .put("ok", b.ok)
          .put("errors", b.errors)
          .put("byStatus", statuses)
          .put("throughput", b.ok)
          .put("errorRate", errorRate(b.ok, b.errors))
          .put("p50", any ? millis(b.latency.getValueAtPercentile(50)) : 0.0)
          .put("p99", any ? millis(b.latency.getValueAtPercentile(99)) : 0.0));
    }
    return entries;
  }

  /** The time the run covers up to {@code nowNanos} (or its end), in nanoseconds. */
  synchronized long elapsedNanos(long nowNanos) {
    return Math.max(0, until(nowNanos) - startNanos);
  }

  private long until(long nowNanos) {
    return endNanos == Long.MIN_VALUE ? nowNanos : Math.min(nowNanos, endNanos);
  }

  private LoadWindow summarize(int first, int last, double spanSeconds, Histogram latencies) {
    long sent = 0;
    long ok = 0;
    long errors = 0;
    Map<String, Long> byStatus = new HashMap<>();
    Histogram merged = latencies;
    if (merged == null) {
      merged = new Histogram(BUCKET_DIGITS);
    }
    for (int i = first; i <= last && i < buckets.size(); i++) {
      Bucket b = buckets.get(i);
      sent += b.sent;
      ok += b.ok;
      errors += b.errors;
      b.byStatus.forEach((k, v) -> byStatus.merge(k, v, Long::sum));
      if (latencies == null) {
        merged.add(b.latency);
      }
    }
    boolean any = merged.getTotalCount() > 0;
    return new LoadWindow(sent, ok, errors, byStatus, spanSeconds > 0 ? ok / spanSeconds : 0,
        errorRate(ok, errors),
        any ? millis(merged.getValueAtPercentile(50)) : 0,
        any ? millis(merged.getValueAtPercentile(99)) : 0,
        any ? millis(merged.getMaxValue()) : 0);
  }

  private Bucket bucket(long intendedNanos) {
    int index = (int) Math.max(0, (intendedNanos - startNanos) / NANOS_PER_SECOND);
    while (buckets.size() <= index) {
      buckets.add(new Bucket());
    }
    return buckets.get(index);
  }

  private static double errorRate(long ok, long errors) {
    long ended = ok + errors;
    return ended == 0 ? 0.0 : (double) errors / ended;
  }

  private static double millis(long micros) {
    return micros / 1000.0;
  }

  private static final class Bucket {
    long sent;
    long ok;
    long errors;
    final Map<String, Long> byStatus = new HashMap<>();
    final Histogram latency = new Histogram(BUCKET_DIGITS);
  }
}
