package dev.satellite.services.analytics;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Where the counts of event names live, one instance per node ({@link #of(Vertx)}): on a clustered node a Hazelcast
 * map shared by the cluster ({@link HazelcastAnalyticsStore}); on a standalone node the process's memory
 * ({@link LocalAnalyticsStore}), with the same API and semantics, lost with the process.
 *
 * <p>Thread-safe: every implementation may be called from any event loop; futures complete on the given context.
 */
public interface AnalyticsStore extends Shareable {

  /** The name of the counts map (a {@code satellite.analytics.*} map: one synchronous backup, counts merged). */
  String MAP = "satellite.analytics.counts";

  /** The name of the map of idempotency keys to the digest of the request each came with. */
  String KEYS = "satellite.idempotency.events";

  /**
   * Adds {@code delta} to {@code name} unless {@code key} (null: none) was already applied to it within its time to
   * live. Succeeds once the change is applied (clustered: on the owner and its synchronous backup).
   *
   * @return true if applied now, false if the key had been applied before (a replay)
   */
  Future<Boolean> add(String name, Delta delta, String key, long now, long ttlMs, Context context);

  /**
   * Binds {@code key} to the request it came with ({@code fingerprint}, a digest of its body) for {@code ttlMs}, or
   * checks the binding made by an earlier try. Clustered, the binding is one entry of the map {@value #KEYS} (one
   * synchronous backup; it expires on the members' clock).
   *
   * @return true if the key is new or was bound to the same body (go on: a retry), false if it was bound to another
   *     body (a key reused for a different request: nothing of it may be applied)
   */
  Future<Boolean> claim(String key, String fingerprint, long now, long ttlMs, Context context);

  /** The stats of {@code name} as of {@code now} ({@link EventCounter#stats}); a name never counted is all zeros. */
  Future<JsonObject> stats(String name, long now, Context context);

  /** The node's one store: Hazelcast-backed when the node is clustered over Hazelcast, else in memory. */
  static AnalyticsStore of(Vertx vertx) {
    LocalMap<String, AnalyticsStore> services = vertx.sharedData().getLocalMap("satellite.services");
    AnalyticsStore store = services.get("analytics");
    if (store != null) {
      return store;
    }
    AnalyticsStore fresh = ((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager hz
        ? new HazelcastAnalyticsStore(hazelcast(hz)) : new LocalAnalyticsStore();
    AnalyticsStore earlier = services.putIfAbsent("analytics", fresh);
    return earlier == null ? fresh : earlier;
  }

  private static HazelcastInstance hazelcast(HazelcastClusterManager manager) {
    return manager.getHazelcastInstance();
  }
}
