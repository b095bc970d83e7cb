package dev.satellite.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Routing over "nodes" simulated on one event bus: each node is a consumer on {@code echo@<node>} and a
 * probe consumer; a frozen node is one that does not answer.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30_000)
class ClusterRouterTest {

  private Vertx vertx;
  private final AtomicBoolean frozen = new AtomicBoolean();
  private final AtomicBoolean gone = new AtomicBoolean();
  private ClusterRouter router;

  private final NodeDirectory directory = new NodeDirectory() {
    @Override
    public List<String> nodesServing(String address) {
      return address.equals("echo") ? List.of("a", "b") : List.of();
    }

    @Override
    public boolean knows(String node) {
      return Set.of("a", "b").contains(node);
    }
  };

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    vertx.eventBus().<String>consumer("echo@a", m -> m.reply("a"));
    vertx.eventBus().<String>consumer("echo@b", m -> {
      if (!frozen.get()) {
        m.reply("b");
      }
    });
    vertx.eventBus().consumer(NodeAddresses.probe("b"), m -> {
      if (!frozen.get()) {
        m.reply("b");
      }
    });
    router = new ClusterRouter(vertx, "a", directory, Duration.ofMillis(100), Clock.systemUTC(), new SimpleMeterRegistry(),
        LocalInstances.NONE);
    await(router.start());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private String ask() throws Exception {
    Message<String> reply = await(router.request("echo", "hi", new DeliveryOptions().setSendTimeout(200)));
    return reply.body();
  }

  @Test
  void spreadsRequestsOverTheNodesThatServeTheAddress() throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      seen.add(ask());
    }
    assertThat(seen).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void aNodeThatTimesOutGetsNoTrafficUntilItAnswersAProbe() throws Exception {
    frozen.set(true);
    int timeouts = 0;
    for (int i = 0; i < 4; i++) {
      try {
        assertThat(ask()).isEqualTo("a");
      } catch (ExecutionException e) {
        assertThat(((ReplyException) e.getCause()).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
        timeouts++;
      }
    }
    assertThat(timeouts).as("only the first request to the frozen node is lost").isEqualTo(1);
    assertThat(router.ejected()).containsOnlyKeys("b");
    for (int i = 0; i < 20; i++) {
      assertThat(ask()).isEqualTo("a");
    }

    frozen.set(false);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!router.ejected().isEmpty() && System.nanoTime() < deadline) {
      ask();
    }
    assertThat(router.ejected()).isEmpty();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      seen.add(ask());
    }
    assertThat(seen).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void aNodeThatLostTheActorIsSkippedWithinTheSameRequest() throws Exception {
    // node c is a member whose actor is gone: requests routed to it find no handler and go to a at once
    ClusterRouter onlyA = new ClusterRouter(vertx, "a", new NodeDirectory() {
      @Override
      public List<String> nodesServing(String address) {
        return List.of("c", "a");
      }

      @Override
      public boolean knows(String node) {
        return true;
      }
    }, Duration.ofMillis(100), Clock.systemUTC(), new SimpleMeterRegistry(),
        LocalInstances.NONE);
    for (int i = 0; i < 6; i++) {
      assertThat(await(onlyA.<String>request("echo", "hi", new DeliveryOptions().setSendTimeout(200))).body()).isEqualTo("a");
    }
    assertThat(onlyA.ejected()).isEmpty();
  }

  @Test
  void addressesNobodyAdvertisesGoStraightToTheBus() throws Exception {
    vertx.eventBus().consumer("plain", m -> m.reply("plain"));
    assertThat(await(router.request("plain", null, new DeliveryOptions())).body()).isEqualTo("plain");
    assertThat(Map.copyOf(router.ejected())).isEmpty();
  }
}
