package dev.satellite.edge;

import com.hazelcast.core.HazelcastInstance;
import dev.satellite.config.RouteSpec;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.grid.hazelcast.Bucket4jHazelcast;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rate limit shared by every node of the cluster: one Bucket4j bucket per route (and key) kept in the
 * Hazelcast map {@value #MAP}, updated atomically by an entry processor on the member that owns the key —
 * so three replicas with {@code rps: 100} admit about 100 per second in all, not 300. A map key is the route name and
 * the fixed-size digest of the request's key ({@link RateLimitKeys}), never the raw header value; the map's entries
 * expire when idle, and the built-in Hazelcast configs bound it by the heap it uses, so a flood of distinct keys
 * cannot exhaust any member's memory.
 *
 * <p>Thread-safe. Each check is one asynchronous cluster round trip; the answer comes back on the caller's
 * context.
 */
public final class ClusterRateLimiter implements RateLimiter {

  /** The Hazelcast map that holds the shared buckets (declared with idle expiry in the built-in configs). */
  public static final String MAP = "satellite.ratelimit";
  /** A shared bucket that does not answer within this fails open: the request is not held up by the cluster. */
  static final long CHECK_TIMEOUT_MS = 500;

  private final String route;
  private final RouteSpec.RateLimit spec;
  private final AsyncProxyManager<String> buckets;
  private final BucketConfiguration configuration;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  public ClusterRateLimiter(String route, RouteSpec.RateLimit spec, HazelcastInstance hazelcast) {
    this.route = route;
    this.spec = spec;
    this.buckets = Bucket4jHazelcast.entryProcessorBasedBuilder(hazelcast.<String, byte[]>getMap(MAP)).build().asAsync();
    this.configuration = BucketConfiguration.builder()
        .addLimit(limit -> limit.capacity(spec.burst()).refillGreedy(spec.rps(), Duration.ofSeconds(1)))
        .build();
  }

  @Override
  public Future<Decision> acquire(String key) {
    Context context = Vertx.currentContext();
    Promise<Decision> decision = context != null ? ((io.vertx.core.internal.ContextInternal) context).promise()
        : Promise.promise();
    buckets.builder().build(mapKey(route, key), configuration).tryConsumeAndReturnRemaining(1)
        .orTimeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS).whenComplete((probe, t) -> {
      if (t != null) {
        errors.incrementAndGet();
        decision.fail(t);
        return;
      }
      if (!probe.isConsumed()) {
        refused.incrementAndGet();
      }
      decision.complete(new Decision(probe.isConsumed(), probe.getRemainingTokens(), probe.getNanosToWaitForRefill(),
          probe.getNanosToWaitForReset()));
    });
    return decision.future();
  }

  /** The Hazelcast key of a route's bucket for {@code key}: small and of bounded size, whatever the client sent. */
  static String mapKey(String route, String key) {
    return route + "|" + RateLimitKeys.digest(key);
  }

  @Override
  public JsonObject stats() {
    return new JsonObject().put("scope", "cluster").put("rps", spec.rps()).put("burst", spec.burst())
        .put("key", spec.key()).put("refused", refused.get()).put("errors", errors.get());
  }
}
