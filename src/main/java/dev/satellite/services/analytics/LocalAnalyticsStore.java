package dev.satellite.services.analytics;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counts of a standalone node, in the process's memory (lost with it): the same {@link EventCounter} logic as the
 * clustered store, made atomic per name by the map's per-key lock instead of a partition thread.
 *
 * <p>Thread-safe.
 */
final class LocalAnalyticsStore implements AnalyticsStore {

  /** The one part of a standalone node's counters. */
  static final String MEMBER = "local";

  private final ConcurrentHashMap<String, EventCounter> counts = new ConcurrentHashMap<>();
  /** Idempotency key → the body's digest and when it expires; in insertion order (one TTL: expiry order). */
  private final LinkedHashMap<String, Claim> keys = new LinkedHashMap<>();

  private record Claim(String fingerprint, long expires) {
  }

  @Override
  public Future<Boolean> claim(String key, String fingerprint, long now, long ttlMs, Context context) {
    synchronized (keys) {
      Iterator<Claim> oldest = keys.values().iterator();
      while (oldest.hasNext() && oldest.next().expires() <= now) {
        oldest.remove();
      }
      Claim earlier = keys.putIfAbsent(key, new Claim(fingerprint, now + ttlMs));
      return Future.succeededFuture(earlier == null || earlier.fingerprint().equals(fingerprint));
    }
  }

  @Override
  public Future<Boolean> add(String name, Delta delta, String key, long now, long ttlMs, Context context) {
    boolean[] applied = new boolean[1];
    counts.compute(name, (n, c) -> {
      EventCounter counter = c == null ? new EventCounter() : c;
      applied[0] = counter.apply(delta, key, now, ttlMs, MEMBER);
      return counter;
    });
    return Future.succeededFuture(applied[0]);
  }

  @Override
  public Future<JsonObject> stats(String name, long now, Context context) {
    JsonObject[] stats = new JsonObject[1];
    // rendered under the key's lock: a concurrent add never shows half applied
    counts.computeIfPresent(name, (n, c) -> {
      stats[0] = EventCounter.stats(name, c, now);
      return c;
    });
    return Future.succeededFuture(stats[0] != null ? stats[0] : EventCounter.stats(name, null, now));
  }
}
