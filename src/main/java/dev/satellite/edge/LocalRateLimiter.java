package dev.satellite.edge;

import dev.satellite.config.RouteSpec;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A rate limit held by this node alone: one Bucket4j token bucket ({@code burst} tokens, refilled greedily
 * at {@code rps} per second), or one per key. Keys live in a bounded least-recently-used table, stored as
 * fixed-size digests ({@link RateLimitKeys}), so a flood of distinct client addresses or 8 KB header values costs at
 * most {@code maxKeys} small entries; a forgotten key comes back with a full bucket.
 *
 * <p>Thread-safe: Bucket4j buckets are lock-free; the key table is guarded by its own lock.
 */
public final class LocalRateLimiter implements RateLimiter {

  private final RouteSpec.RateLimit spec;
  private final TimeMeter time;
  private final Bucket single;
  private final Map<String, Bucket> byKey;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong evicted = new AtomicLong();

  public LocalRateLimiter(RouteSpec.RateLimit spec, int maxKeys, LongSupplier nanos) {
    this.spec = spec;
    this.time = new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return nanos.getAsLong();
      }

      @Override
      public boolean isWallClockBased() {
        return false;
      }
    };
    if (spec.key().equals("none")) {
      single = newBucket();
      byKey = null;
    } else {
      single = null;
      byKey = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
          boolean full = size() > maxKeys;
          if (full) {
            evicted.incrementAndGet();
          }
          return full;
        }
      };
    }
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(spec.burst()).refillGreedy(spec.rps(), Duration.ofSeconds(1)))
        .withCustomTimePrecision(time)
        .build();
  }

  @Override
  public Future<Decision> acquire(String key) {
    return Future.succeededFuture(decideNow(key));
  }

  /** The node-local limiter never waits: its decision is always synchronous. */
  @Override
  public Decision decideNow(String key) {
    Bucket bucket = single != null ? single : bucketFor(key);
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      refused.incrementAndGet();
    }
    return new Decision(probe.isConsumed(), probe.getRemainingTokens(), probe.getNanosToWaitForRefill(),
        probe.getNanosToWaitForReset());
  }

  private Bucket bucketFor(String key) {
    String digest = RateLimitKeys.digest(key);
    synchronized (byKey) {
      return byKey.computeIfAbsent(digest, k -> newBucket());
    }
  }

  /** Distinct keys remembered now (never more than the configured maximum). */
  public int keys() {
    if (byKey == null) {
      return 1;
    }
    synchronized (byKey) {
      return byKey.size();
    }
  }

  @Override
  public JsonObject stats() {
    JsonObject json = new JsonObject().put("scope", "node").put("rps", spec.rps()).put("burst", spec.burst())
        .put("key", spec.key()).put("refused", refused.get());
    if (single != null) {
      json.put("tokensLeft", single.getAvailableTokens());
    } else {
      json.put("keys", keys()).put("keysEvicted", evicted.get());
    }
    return json;
  }
}
