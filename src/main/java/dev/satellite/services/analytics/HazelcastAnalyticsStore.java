package dev.satellite.services.analytics;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The counts in a Hazelcast {@link IMap} ({@value AnalyticsStore#MAP}), changed only by {@link AddEvents} entry
 * processors on the owning partition, and read by one ({@link ReadStats}) that sends back only the figures; the
 * idempotency keys' bodies in another ({@value AnalyticsStore#KEYS}, {@link ClaimKey}). Every call is asynchronous.
 *
 * <p>Thread-safe.
 */
final class HazelcastAnalyticsStore implements AnalyticsStore {

  private final IMap<String, EventCounter> counts;
  private final IMap<String, String> keys;

  HazelcastAnalyticsStore(HazelcastInstance hazelcast) {
    this.counts = hazelcast.getMap(MAP);
    this.keys = hazelcast.getMap(KEYS);
  }

  @Override
  public Future<Boolean> claim(String key, String fingerprint, long now, long ttlMs, Context context) {
    return Future.fromCompletionStage(keys.submitToKey(key, new ClaimKey(fingerprint, ttlMs)), context);
  }

  @Override
  public Future<Boolean> add(String name, Delta delta, String key, long now, long ttlMs, Context context) {
    return Future.fromCompletionStage(counts.submitToKey(name, new AddEvents(delta, key, now, ttlMs)), context);
  }

  @Override
  public Future<JsonObject> stats(String name, long now, Context context) {
    return Future.fromCompletionStage(counts.submitToKey(name, new ReadStats(now)), context).map(ReadStats::decode);
  }
}
