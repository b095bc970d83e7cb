package dev.satellite.services.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.satellite.cluster.HazelcastConfigs;
import dev.satellite.support.LoopbackMembers;
import dev.satellite.support.NodeHarness;
import dev.satellite.support.TestConfigs;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A topic's history after a network split heals, on real Hazelcast members in this JVM with the node's push
 * structures: both sides appended under the epoch they shared, only one copy of the history survives the merge, and
 * the topic gets a new epoch — so an id either side handed out before the merge is answered with an explicit reset
 * ({@code epoch-changed}), never taken for the message that now holds its sequence. A topic only one side knew keeps
 * its epoch and history. (The split is made the way {@code AnalyticsHazelcastIT} makes it: two one-member clusters
 * over a common state, then shown to each other.)
 */
class PushSplitIT {

  private final String cluster = "push-split-" + UUID.randomUUID().toString().substring(0, 8);
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private HazelcastInstance one;
  private HazelcastInstance two;

  @AfterEach
  void stop() throws Exception {
    for (HazelcastInstance m : new HazelcastInstance[] {one, two}) {
      if (m != null) {
        m.getLifecycleService().terminate();
      }
    }
    NodeHarness.await(vertx.close());
  }

  private Config config(int port) {
    Config c = LoopbackMembers.config(cluster, port);
    HazelcastConfigs.pushStructures(c, 100);
    return c;
  }

  @Test
  void aTopicBothSidesWroteGetsANewEpochWhenTheyMergeAndOneOnlyOneSideKnewKeepsItsOwn() throws Exception {
    int p1 = TestConfigs.freePort();
    int p2 = TestConfigs.freePort();
    Config c1 = config(p1);
    Config c2 = config(p2);
    one = Hazelcast.newHazelcastInstance(c1);
    two = Hazelcast.newHazelcastInstance(c2);
    // the state both sides had when the split happened: the topic under one epoch
    one.<String, String>getMap(HazelcastPushStore.EPOCHS).set("news", "before");
    two.<String, String>getMap(HazelcastPushStore.EPOCHS).set("news", "before");
    PushStore side1 = new HazelcastPushStore(one, 100);
    PushStore side2 = new HazelcastPushStore(two, 100);
    for (int i = 0; i < 3; i++) {
      assertThat(NodeHarness.await(side1.append("news", "one-" + i, context)).epoch()).isEqualTo("before");
    }
    for (int i = 0; i < 5; i++) {
      assertThat(NodeHarness.await(side2.append("news", "two-" + i, context)).epoch()).isEqualTo("before");
    }
    String onlyTwo = NodeHarness.await(side2.append("only-two", "x", context)).epoch();

    LoopbackMembers.heal(c1, p1, one, c2, p2, two);
    assertThat(one.getCluster().getMembers()).as("merged").hasSize(2);
    long deadline = System.nanoTime() + 30_000_000_000L;
    String epoch = "before";
    while (System.nanoTime() < deadline && "before".equals(epoch)) {
      epoch = NodeHarness.await(side1.read("news", 0, 100, context)).epoch();
      Thread.sleep(100); // the merge operations may still be on their way when membership settles
    }

    assertThat(epoch).as("ids from before the merge are of another history now").isNotEqualTo("before");
    PushStore.Batch kept = NodeHarness.await(side2.read("news", 0, 100, context));
    assertThat(kept.epoch()).as("both members agree").isEqualTo(epoch);
    assertThat(kept.messages()).as("one side's copy of the history survives, whole")
        .satisfiesAnyOf(m -> assertThat(m).hasSize(3).allMatch(s -> s.contains("one-")),
            m -> assertThat(m).hasSize(5).allMatch(s -> s.contains("two-")));
    PushStore.Batch other = NodeHarness.await(side1.read("only-two", 0, 100, context));
    assertThat(other.epoch()).as("a topic only one side knew keeps its epoch").isEqualTo(onlyTwo);
    assertThat(other.messages()).hasSize(1);
  }
}
