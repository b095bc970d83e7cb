package dev.satellite.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.satellite.config.ConfigException;
import dev.satellite.config.ConfigLoader;
import dev.satellite.support.TestConfigs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The node registry on two real Hazelcast members in this JVM: who serves what, unique ids, departed members. */
class ClusterMembershipTest {

  private final String cluster = "membership-" + UUID.randomUUID().toString().substring(0, 8);
  private HazelcastInstance a;
  private HazelcastInstance b;

  @AfterEach
  void stop() {
    if (b != null) {
      b.getLifecycleService().terminate();
    }
    if (a != null) {
      a.getLifecycleService().terminate();
    }
  }

  private HazelcastInstance member(String nodeId) {
    var config = HazelcastConfigs.build(ConfigLoader.load(null, Map.of(), List.of("cluster.name=" + cluster),
        TestConfigs.emptyDir()).config().cluster());
    config.getMemberAttributeConfig().setAttribute(ClusterMembership.NODE_ATTRIBUTE, nodeId);
    return Hazelcast.newHazelcastInstance(config);
  }

  /** Each member of {@code /admin/cluster} by state, as "id state". */
  private static List<String> states(ClusterMembership view) {
    return view.toJson().getJsonArray("members").stream().map(m -> (io.vertx.core.json.JsonObject) m)
        .map(m -> m.getString("id") + " " + m.getString("state")).sorted().toList();
  }

  private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
      Thread.sleep(50);
    }
    assertThat(condition.getAsBoolean()).as("within 10 s").isTrue();
  }

  @Test
  void membersSeeWhoServesWhatRefuseADuplicateIdAndForgetAMemberThatLeft() throws Exception {
    a = member("node-a");
    b = member("node-b");
    eventually(() -> a.getCluster().getMembers().size() == 2);
    AtomicInteger blockingCalls = new AtomicInteger();
    Executor blocking = task -> {
      blockingCalls.incrementAndGet();
      new Thread(task).start();
    };
    ClusterMembership onA = new ClusterMembership(a, "node-a", Clock.systemUTC(), new SimpleMeterRegistry(), blocking);
    ClusterMembership onB = new ClusterMembership(b, "node-b", Clock.systemUTC(), new SimpleMeterRegistry(), blocking);
    onA.claim();
    onB.claim();
    onA.register(List.of("hello", "echo"));
    onB.register(List.of("hello"));
    eventually(() -> onA.nodesServing("hello").size() == 2);
    assertThat(onA.nodesServing("hello")).containsExactly("node-a", "node-b");
    assertThat(onA.nodesServing("echo")).containsExactly("node-a");
    assertThat(onA.knows("node-b")).isTrue();
    assertThat(onA.toJson().getJsonArray("members")).hasSize(2);

    ClusterMembership duplicate = new ClusterMembership(b, "node-a", Clock.systemUTC(), new SimpleMeterRegistry(), blocking);
    assertThatThrownBy(duplicate::claim).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("node.id: 'node-a' is already used by member");
    List<String> left = new java.util.concurrent.CopyOnWriteArrayList<>();
    onA.onLeft(left::add);

    b.getLifecycleService().terminate(); // as kill -9: no goodbye
    b = null;
    eventually(() -> !onA.knows("node-b") && onA.nodesServing("hello").equals(List.of("node-a")));
    assertThat(left).as("the router is told which node left").containsExactly("node-b");
    // dropping the departed member's registry entry blocks: it went to the executor given, not the common pool
    eventually(() -> blockingCalls.get() > 0);
  }

  @Test
  void aClaimedIdGetsNoTrafficUntilItRegistersAndEveryMemberIsShownWithItsIdAndState() throws Exception {
    a = member("node-a");
    ClusterMembership onA = new ClusterMembership(a, "node-a", Clock.systemUTC(), new SimpleMeterRegistry(), Runnable::run);
    onA.claim();
    onA.register(List.of("hello"));
    b = member("node-b");
    eventually(() -> onA.size() == 2);
    assertThat(states(onA)).as("a member without an entry yet is named by its attribute").containsExactly(
        "node-a serving", "node-b joining");

    ClusterMembership onB = new ClusterMembership(b, "node-b", Clock.systemUTC(), new SimpleMeterRegistry(), Runnable::run);
    onB.claim();
    eventually(() -> onA.knows("node-b"));
    assertThat(onA.nodesServing("hello")).as("claimed, not yet serving: no traffic").containsExactly("node-a");
    assertThat(onA.servingNodes()).containsExactly("node-a");
    assertThat(states(onA)).containsExactly("node-a serving", "node-b joining");

    onB.register(List.of("hello"));
    eventually(() -> onA.nodesServing("hello").size() == 2);
    assertThat(onA.servingNodes()).containsExactlyInAnyOrder("node-a", "node-b");
    assertThat(states(onA)).containsExactly("node-a serving", "node-b serving");

    onB.leave(); // shutting down: its entry goes first, the member a little later
    eventually(() -> onA.nodesServing("hello").size() == 1);
    assertThat(states(onA)).containsExactly("node-a serving", "node-b leaving");
    assertThat(onA.toJson().encode()).doesNotContain("null");
  }
}
