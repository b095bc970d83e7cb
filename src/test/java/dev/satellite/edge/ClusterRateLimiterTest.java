package dev.satellite.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.satellite.cluster.HazelcastConfigs;
import dev.satellite.config.ConfigLoader;
import dev.satellite.config.RouteSpec;
import dev.satellite.support.TestConfigs;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cluster-wide limit on a real Hazelcast member: shared buckets, and keys of a fixed, small size. */
class ClusterRateLimiterTest {

  private HazelcastInstance member;

  @BeforeEach
  void start() {
    member = Hazelcast.newHazelcastInstance(HazelcastConfigs.build(ConfigLoader.load(null, Map.of(),
        List.of("cluster.name=ratelimit-" + UUID.randomUUID().toString().substring(0, 8)), TestConfigs.emptyDir())
        .config().cluster()));
  }

  @AfterEach
  void stop() {
    member.getLifecycleService().terminate();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aBucketIsSharedAndRefusesOverItsBurst() throws Exception {
    ClusterRateLimiter limiter = new ClusterRateLimiter("/a", new RouteSpec.RateLimit(1, 3, "cluster", "none"), member);
    List<Boolean> allowed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      allowed.add(await(limiter.acquire("")).allowed());
    }
    assertThat(allowed).containsExactly(true, true, true, false, false);
    assertThat(limiter.stats().getLong("refused")).isEqualTo(2L);
  }

  @Test
  void distinctEightKilobyteKeysAreStoredAsSmallDigestsNotAsTheyCame() throws Exception {
    ClusterRateLimiter limiter = new ClusterRateLimiter("/k", new RouteSpec.RateLimit(1, 10, "cluster", "header:X-Key"),
        member);
    String big = "k".repeat(8 * 1024);
    for (int i = 0; i < 2000; i++) {
      assertThat(await(limiter.acquire(big + i)).allowed()).as("a fresh key has a full bucket").isTrue();
    }
    IMap<String, byte[]> map = member.getMap(ClusterRateLimiter.MAP);
    assertThat(map.size()).isEqualTo(2000);
    assertThat(map.keySet()).allSatisfy(k -> assertThat(k).hasSize("/k|".length() + RateLimitKeys.LENGTH));
    // 2000 raw keys would take more than 16 MB (and count twice with the backup): the digests take a fraction
    long cost = map.getLocalMapStats().getOwnedEntryMemoryCost();
    assertThat(cost).as("heap the entries take on the member").isLessThan(2L * 1024 * 1024);
    // the same (long) key maps to the same bucket every time
    List<Long> left = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      left.add(await(limiter.acquire(big + "same")).remaining());
    }
    assertThat(left).containsExactly(9L, 8L, 7L);
  }
}
