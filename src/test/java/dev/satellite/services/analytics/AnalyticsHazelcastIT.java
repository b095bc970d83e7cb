package dev.satellite.services.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.satellite.cluster.HazelcastConfigs;
import dev.satellite.support.LoopbackMembers;
import dev.satellite.support.NodeHarness;
import dev.satellite.support.TestConfigs;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The clustered store on real Hazelcast members in this JVM (loopback, their own cluster name): the entry processor
 * and its backup, counts that survive the crash of the member that owned them, and a split healed by Hazelcast's
 * merge with the counters' policy — both sides' increments kept, the common base counted once. (A split of nodes
 * started from the jar would need the loopback network cut between processes; here two members form two clusters
 * over a common base, and are then shown to each other, which is the merge Hazelcast runs after a split.)
 */
class AnalyticsHazelcastIT {

  private static final long TTL = 600_000;
  private final List<HazelcastInstance> members = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final String cluster = "analytics-" + UUID.randomUUID().toString().substring(0, 8);
  private Vertx vertx;
  private Context context;

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stop() throws Exception {
    for (HazelcastInstance m : members) {
      m.getLifecycleService().terminate();
    }
    NodeHarness.await(vertx.close());
  }

  private Config config(int port, int... peers) {
    Config c = LoopbackMembers.config(cluster, port, peers);
    HazelcastConfigs.analyticsMaps(c);
    return c;
  }

  private HazelcastInstance member(Config c) {
    HazelcastInstance m = Hazelcast.newHazelcastInstance(c);
    members.add(m);
    return m;
  }

  private static Delta events(int n) {
    Delta.Builder b = new Delta.Builder();
    for (int i = 0; i < n; i++) {
      b.add(1, 1_700_000_000_000L);
    }
    return b.build();
  }

  private long count(AnalyticsStore store, String name) throws Exception {
    return NodeHarness.await(store.stats(name, 1_700_000_000_000L, context)).getLong("count");
  }

  @Test
  void acknowledgedCountsAndTheirKeysSurviveTheCrashOfTheOwningMember() throws Exception {
    int p1 = TestConfigs.freePort();
    int p2 = TestConfigs.freePort();
    // started together, so neither waits on the join timeout for a peer that is not up yet
    java.util.concurrent.CompletableFuture<HazelcastInstance> starting =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> member(config(p2, p1)));
    HazelcastInstance one = member(config(p1, p2));
    HazelcastInstance two = starting.get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(one.getCluster().getMembers()).hasSize(2);
    AnalyticsStore viaOne = new HazelcastAnalyticsStore(one);
    for (int i = 0; i < 20; i++) {
      assertThat(NodeHarness.await(viaOne.add("n" + i, events(3), "k", 1_700_000_000_000L, TTL, context))).isTrue();
      assertThat(NodeHarness.await(viaOne.claim("key-" + i, "body-" + i, 1_700_000_000_000L, TTL, context))).isTrue();
    }
    long ownedByTwo = 0;
    for (int i = 0; i < 20; i++) {
      ownedByTwo += one.getPartitionService().getPartition("n" + i).getOwner().localMember() ? 0 : 1;
    }
    assertThat(ownedByTwo).as("some names were owned by the member that crashes").isPositive();
    two.getLifecycleService().terminate(); // a crash: no graceful hand-over of its partitions
    for (int i = 0; i < 20; i++) {
      assertThat(count(viaOne, "n" + i)).isEqualTo(3);
      assertThat(NodeHarness.await(viaOne.add("n" + i, events(3), "k", 1_700_000_000_000L, TTL, context)))
          .as("its key survived with it: a retry is a replay").isFalse();
      assertThat(count(viaOne, "n" + i)).isEqualTo(3);
      assertThat(NodeHarness.await(viaOne.claim("key-" + i, "body-" + i, 1_700_000_000_000L, TTL, context)))
          .as("a retry of the same body goes on").isTrue();
      assertThat(NodeHarness.await(viaOne.claim("key-" + i, "other", 1_700_000_000_000L, TTL, context)))
          .as("the key's binding to its body survived the owner: another body is refused").isFalse();
    }
  }

  @Test
  void aHealedSplitKeepsBothSidesIncrementsAndTheCommonBaseOnce() throws Exception {
    int p1 = TestConfigs.freePort();
    int p2 = TestConfigs.freePort();
    Config c1 = config(p1);
    Config c2 = config(p2);
    HazelcastInstance one = member(c1); // two clusters of one: the two sides of a split
    HazelcastInstance two = member(c2);
    assertThat(one.getCluster().getMembers()).hasSize(1);
    // the state both sides had when the split happened: 5 events counted by a member that is on neither side now
    EventCounter base = new EventCounter();
    base.apply(events(5), "before-split", 0, Long.MAX_VALUE / 2, "gone-member");
    IMap<String, EventCounter> m1 = one.getMap(AnalyticsStore.MAP);
    IMap<String, EventCounter> m2 = two.getMap(AnalyticsStore.MAP);
    m1.set("signup", base);
    m2.set("signup", base);
    AnalyticsStore side1 = new HazelcastAnalyticsStore(one);
    AnalyticsStore side2 = new HazelcastAnalyticsStore(two);
    NodeHarness.await(side1.add("signup", events(2), "on-1", 1_700_000_000_000L, TTL, context));
    NodeHarness.await(side2.add("signup", events(7), "on-2", 1_700_000_000_000L, TTL, context));
    NodeHarness.await(side2.add("only-2", events(4), null, 1_700_000_000_000L, TTL, context));
    NodeHarness.await(side1.add("only-1", events(1), null, 1_700_000_000_000L, TTL, context));
    // the split heals: each side learns where the other is, and Hazelcast merges the smaller (or, at equal size,
    // one chosen by hash) into the other with the map's merge policy
    LoopbackMembers.heal(c1, p1, one, c2, p2, two);
    assertThat(one.getCluster().getMembers()).as("merged").hasSize(2);
    long deadline = System.nanoTime() + 30_000_000_000L;
    long merged = 0;
    while (System.nanoTime() < deadline && (merged = count(side1, "signup")) != 14) {
      Thread.sleep(100); // the merge operations may still be on their way when membership settles
    }
    assertThat(merged).as("5 before the split + 2 on one side + 7 on the other").isEqualTo(14);
    assertThat(count(side2, "signup")).isEqualTo(14);
    assertThat(count(side1, "only-1")).isEqualTo(1);
    assertThat(count(side1, "only-2")).isEqualTo(4);
    assertThat(NodeHarness.await(side1.add("signup", events(7), "on-2", 1_700_000_000_000L, TTL, context)))
        .as("a key applied on either side is still known after the merge").isFalse();
    assertThat(count(side2, "signup")).isEqualTo(14);
  }
}
