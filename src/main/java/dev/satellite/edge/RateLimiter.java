package dev.satellite.edge;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A token-bucket rate limit of one route, per key (none, client address, or a header such as an API key).
 *
 * <p>Thread-safe.
 */
public interface RateLimiter {

  /** Takes one token for {@code key} ({@code ""} when the route is not keyed). */
  Future<Decision> acquire(String key);

  /**
   * Takes one token for {@code key} if that needs no waiting (a bucket held by this node), else returns null
   * without taking anything: the caller then uses {@link #acquire(String)}.
   */
  default Decision decideNow(String key) {
    return null;
  }

  /** Numbers for {@code /admin/edges}. */
  JsonObject stats();

  /**
   * @param allowed        whether the request may go on
   * @param remaining      tokens left after this request
   * @param nanosToRefill  when refused: how long until a token is there again (for {@code Retry-After})
   * @param nanosToReset   how long until the bucket is full again (for the {@code RateLimit} header)
   */
  record Decision(boolean allowed, long remaining, long nanosToRefill, long nanosToReset) {

    /** Whole seconds, rounded up, at least 1: the value of {@code Retry-After}. */
    public long retryAfterSeconds() {
      return Math.max(1, (nanosToRefill + 999_999_999L) / 1_000_000_000L);
    }

    public long resetSeconds() {
      return (nanosToReset + 999_999_999L) / 1_000_000_000L;
    }
  }
}
