package dev.satellite.services.analytics;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The counts in a Hazelcast {@link IMap} ({@value AnalyticsStore#MAP}), changed only by {@link AddEvents} entry
 * processors on the owning partition, and read by one ({@link ReadStats}) that sends back only the figures; every
 * call is asynchronous.
 *
 * <p>Thread-safe.
 */
final class HazelcastAnalyticsStore implements AnalyticsStore {

  private final IMap<String, EventCounter> counts;

  HazelcastAnalyticsStore(HazelcastInstance hazelcast) {
    this.counts = hazelcast.getMap(MAP);
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
