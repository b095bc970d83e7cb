package dev.satellite.edge;

import com.hazelcast.core.HazelcastInstance;
import dev.satellite.config.RouteSpec;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.NopeOptimizationListener;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.delay.DelayOptimization;
import io.github.bucket4j.grid.hazelcast.Bucket4jHazelcast;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rate limit shared by every node of the cluster: one Bucket4j bucket per route (and key) kept in the Hazelcast map
 * {@value #MAP}, so three replicas with {@code rps: 100} admit about 100 per second in all, not 300.
 *
 * <p>A node does not ask the bucket's owner about every request. Each node keeps a local copy of a bucket's state
 * (Bucket4j's <em>delaying</em> optimization, which also batches concurrent requests into one round trip) and decides
 * locally, synchronizing — its consumption applied to the shared bucket, a fresh copy back — after
 * {@link #unsynchronizedTokens} tokens or {@value #SYNC_INTERVAL_MS} ms, whichever comes first. The price is bounded:
 * each node may admit up to that many tokens the others also saw before it learns of them, so a cluster of N nodes
 * admits at most N × {@code min(rps, burst) / }{@value #SHARE_DIVISOR} more than the limit (5 % of a second's rate
 * per node); the shared bucket then goes into debt and the excess is paid back by refusals. A key's bucket needs a
 * round trip only when its copy is stale, not for each request.
 *
 * <p>A map key is the route name and the fixed-size digest of the request's key ({@link RateLimitKeys}), never the
 * raw header value; the map's entries expire when idle, and the built-in Hazelcast configs bound it by the heap it
 * uses. The local copies are bounded too: at most {@code maxKeys} keys per route, least recently used first out (an
 * evicted copy hands its consumption to the shared bucket on its way out).
 *
 * <p>Thread-safe: the optimized bucket proxies serialize their own state; the table of proxies has its own lock.
 */
public final class ClusterRateLimiter implements RateLimiter {

  /** The Hazelcast map that holds the shared buckets (declared with idle expiry in the built-in configs). */
  public static final String MAP = "satellite.ratelimit";
  /** A shared bucket that does not answer within this fails open: the request is not held up by the cluster. */
  static final long CHECK_TIMEOUT_MS = 500;
  /** A local copy is synchronized at least this often while it is used. */
  static final long SYNC_INTERVAL_MS = 100;
  /** A node may take {@code min(rps, burst) / SHARE_DIVISOR} tokens (at least one) between synchronizations. */
  static final int SHARE_DIVISOR = 20;

  private final String route;
  private final RouteSpec.RateLimit spec;
  private final AsyncProxyManager<String> buckets;
  private final BucketConfiguration configuration;
  private final TimeMeter clock;
  private final DelayParameters delay;
  private final Map<String, AsyncBucketProxy> proxies;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong local = new AtomicLong();
  private final AtomicLong remote = new AtomicLong();
  private final long checkTimeoutMs;

  public ClusterRateLimiter(String route, RouteSpec.RateLimit spec, HazelcastInstance hazelcast, int maxKeys) {
    this(route, spec, hazelcast, maxKeys, TimeMeter.SYSTEM_MILLISECONDS, CHECK_TIMEOUT_MS);
  }

  /**
   * @param clock the time of both the local decisions and the shared bucket's refills (it travels with each
   *              update, so every member agrees on it): a wall clock; tests move one by hand
   * @param checkTimeoutMs how long a round trip to the shared bucket may take before the decision fails open
   *              ({@value #CHECK_TIMEOUT_MS} ms in service; tests of the logic give a starved machine longer)
   */
  ClusterRateLimiter(String route, RouteSpec.RateLimit spec, HazelcastInstance hazelcast, int maxKeys,
      TimeMeter clock, long checkTimeoutMs) {
    this.route = route;
    this.checkTimeoutMs = checkTimeoutMs;
    this.spec = spec;
    this.clock = clock;
    this.buckets = Bucket4jHazelcast.entryProcessorBasedBuilder(hazelcast.<String, byte[]>getMap(MAP))
        .clientClock(clock).build().asAsync();
    this.configuration = BucketConfiguration.builder()
        .addLimit(limit -> limit.capacity(spec.burst()).refillGreedy(spec.rps(), Duration.ofSeconds(1)))
        .build();
    this.delay = new DelayParameters(unsynchronizedTokens(spec), Duration.ofMillis(SYNC_INTERVAL_MS));
    this.proxies = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, AsyncBucketProxy> eldest) {
        if (size() <= maxKeys) {
          return false;
        }
        eldest.getValue().getOptimizationController().syncImmediately(); // its consumption is not lost
        return true;
      }
    };
  }

  /** Tokens a node may take from its local copy between synchronizations: 5 % of a second's rate, at least one. */
  static long unsynchronizedTokens(RouteSpec.RateLimit spec) {
    return Math.max(1, Math.min(spec.rps(), spec.burst()) / SHARE_DIVISOR);
  }

  @Override
  public Future<Decision> acquire(String key) {
    CompletableFuture<ConsumptionProbe> probe = proxy(mapKey(route, key)).tryConsumeAndReturnRemaining(1);
    if (probe.isDone() && !probe.isCompletedExceptionally()) {
      local.incrementAndGet();
      return Future.succeededFuture(decided(probe.join())); // decided on the local copy: no round trip, no hop
    }
    remote.incrementAndGet();
    Context context = Vertx.currentContext();
    Promise<Decision> decision = context != null ? ((ContextInternal) context).promise() : Promise.promise();
    probe.orTimeout(checkTimeoutMs, TimeUnit.MILLISECONDS).whenComplete((p, t) -> {
      if (t != null) {
        errors.incrementAndGet();
        decision.fail(t);
      } else {
        decision.complete(decided(p));
      }
    });
    return decision.future();
  }

  private Decision decided(ConsumptionProbe p) {
    if (!p.isConsumed()) {
      refused.incrementAndGet();
    }
    return new Decision(p.isConsumed(), p.getRemainingTokens(), p.getNanosToWaitForRefill(),
        p.getNanosToWaitForReset());
  }

  private AsyncBucketProxy proxy(String mapKey) {
    synchronized (proxies) {
      return proxies.computeIfAbsent(mapKey, k -> buckets.builder()
          .withOptimization(new DelayOptimization(delay, NopeOptimizationListener.INSTANCE, clock))
          .build(k, () -> CompletableFuture.completedFuture(configuration)));
    }
  }

  /** The Hazelcast key of a route's bucket for {@code key}: small and of bounded size, whatever the client sent. */
  static String mapKey(String route, String key) {
    return route + "|" + RateLimitKeys.digest(key);
  }

  @Override
  public JsonObject stats() {
    int keys;
    synchronized (proxies) {
      keys = proxies.size();
    }
    return new JsonObject().put("scope", "cluster").put("rps", spec.rps()).put("burst", spec.burst())
        .put("key", spec.key()).put("refused", refused.get()).put("errors", errors.get()).put("keys", keys)
        .put("decidedLocally", local.get()).put("waitedForCluster", remote.get())
        .put("unsynchronizedTokens", delay.maxUnsynchronizedTokens);
  }
}
