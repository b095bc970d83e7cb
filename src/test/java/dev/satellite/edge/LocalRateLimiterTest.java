package dev.satellite.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.config.RouteSpec;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalRateLimiterTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private LocalRateLimiter limiter(long rps, long burst, String key, int maxKeys) {
    return new LocalRateLimiter(new RouteSpec.RateLimit(rps, burst, "node", key), maxKeys, nanos::get);
  }

  @Test
  void admitsTheBurstThenRefusesWithRetryAfterFromTheRefillTime() {
    LocalRateLimiter limiter = limiter(2, 4, "none", 10);
    for (int i = 3; i >= 0; i--) {
      RateLimiter.Decision d = limiter.decideNow("");
      assertThat(d.allowed()).isTrue();
      assertThat(d.remaining()).isEqualTo(i);
    }
    RateLimiter.Decision refused = limiter.decideNow("");
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.nanosToRefill()).isEqualTo(500_000_000L); // 2 tokens per second
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void refillsGreedilyWithTheClock() {
    LocalRateLimiter limiter = limiter(10, 10, "none", 10);
    for (int i = 0; i < 10; i++) {
      limiter.decideNow("");
    }
    assertThat(limiter.decideNow("").allowed()).isFalse();
    nanos.addAndGet(100_000_000L); // 100 ms: one token back
    assertThat(limiter.decideNow("").allowed()).isTrue();
    assertThat(limiter.decideNow("").allowed()).isFalse();
    nanos.addAndGet(5_000_000_000L);
    assertThat(limiter.decideNow("").remaining()).isEqualTo(9); // full again (capacity caps the refill)
  }

  @Test
  void retryAfterRoundsUpWholeSeconds() {
    LocalRateLimiter slow = limiter(1, 1, "none", 10);
    slow.decideNow("");
    nanos.addAndGet(200_000_000L);
    RateLimiter.Decision d = slow.decideNow("");
    assertThat(d.nanosToRefill()).isEqualTo(800_000_000L);
    assertThat(d.retryAfterSeconds()).isEqualTo(1);
    RateLimiter.Decision veryLow = new RateLimiter.Decision(false, 0, 2_100_000_000L, 0);
    assertThat(veryLow.retryAfterSeconds()).isEqualTo(3);
  }

  @Test
  void keysHaveTheirOwnBucketsAndTheKeySpaceIsBounded() {
    LocalRateLimiter limiter = limiter(1, 1, "ip", 100);
    assertThat(limiter.decideNow("10.0.0.1").allowed()).isTrue();
    assertThat(limiter.decideNow("10.0.0.1").allowed()).isFalse();
    assertThat(limiter.decideNow("10.0.0.2").allowed()).isTrue();
    for (int i = 0; i < 10_000; i++) {
      limiter.decideNow("key-" + i);
    }
    assertThat(limiter.keys()).isEqualTo(100);
    assertThat(limiter.stats().getLong("keysEvicted")).isGreaterThanOrEqualTo(9_900L);
  }
}
