package dev.satellite.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.actor.ActorFailures;
import dev.satellite.metrics.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
 * probe consumer, and node b ticks node a; a frozen node is one that neither answers nor ticks.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30_000)
class ClusterRouterTest {

  private Vertx vertx;
  private final AtomicBoolean frozen = new AtomicBoolean();
  private final AtomicBoolean gone = new AtomicBoolean();
  private ClusterRouter router;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private final NodeDirectory directory = new NodeDirectory() {
    @Override
    public List<String> nodesServing(String address) {
      return switch (address) {
        case "echo" -> List.of("a", "b");
        case "slow", "discarding" -> List.of("b");
        default -> List.of();
      };
    }

    @Override
    public Set<String> servingNodes() {
      return Set.of("a", "b");
    }

    @Override
    public boolean knows(String node) {
      return Set.of("a", "b").contains(node);
    }
  };

  private static final ClusterRouter.Timing TIMING = new ClusterRouter.Timing(Duration.ofMillis(100), Duration.ofMillis(50),
      Duration.ofMillis(400));

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    vertx.eventBus().<String>consumer("echo@a", m -> m.reply("a"));
    vertx.eventBus().<String>consumer("echo@b", m -> {
      if (!frozen.get()) {
        m.reply("b");
      }
    });
    vertx.eventBus().consumer("slow@b", m -> { }); // takes requests and never answers them
    // answers as the bus does for a message queued for a consumer that was unregistered (a crashed instance's)
    vertx.eventBus().consumer("discarding@b", m -> m.reply(new ReplyException(ReplyFailure.TIMEOUT,
        "Discarded the request. address: " + m.replyAddress() + ", repliedAddress: discarding@b")));
    vertx.eventBus().consumer(NodeAddresses.probe("b"), m -> {
      if (!frozen.get()) {
        m.reply("b");
      }
    });
    vertx.setPeriodic(50, t -> {
      if (!frozen.get()) {
        vertx.eventBus().send(NodeAddresses.tick("a"), "b");
      }
    });
    router = new ClusterRouter(vertx, "a", directory, TIMING, Clock.systemUTC(), System::nanoTime, registry,
        LocalInstances.NONE);
    await(router.start());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!router.routable("b") && System.nanoTime() < deadline) {
      Thread.sleep(10); // b's first tick: until it arrives, b gets nothing
    }
    assertThat(router.routable("b")).isTrue();
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
  void aMessageTheNodeDiscardedAtOnceDoesNotEjectIt() throws Exception {
    for (int i = 0; i < 3; i++) {
      try {
        await(router.request("discarding", "hi", new DeliveryOptions().setSendTimeout(1000)));
        throw new AssertionError("a discarded message has no answer");
      } catch (ExecutionException e) {
        assertThat(((ReplyException) e.getCause()).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
      }
    }
    assertThat(router.ejected()).as("b answered, at once: it is not slow").isEmpty();
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
      public Set<String> servingNodes() {
        return Set.of("a");
      }

      @Override
      public boolean knows(String node) {
        return true;
      }
    }, TIMING, Clock.systemUTC(), System::nanoTime, new SimpleMeterRegistry(), LocalInstances.NONE);
    for (int i = 0; i < 6; i++) {
      assertThat(await(onlyA.<String>request("echo", "hi", new DeliveryOptions().setSendTimeout(200))).body()).isEqualTo("a");
    }
    assertThat(onlyA.ejected()).isEmpty();
  }

  @Test
  void aServingNodeNotHeardFromYetGetsNoRequests() throws Exception {
    // c serves the address and answers, but has never ticked: a node still starting, or one whose bus connection
    // this node refuses (another CA); it gets nothing until its first tick
    vertx.eventBus().<String>consumer("echo@c", m -> m.reply("c"));
    NodeDirectory withC = new NodeDirectory() {
      @Override
      public List<String> nodesServing(String address) {
        return List.of("a", "c");
      }

      @Override
      public Set<String> servingNodes() {
        return Set.of("a", "c");
      }

      @Override
      public boolean knows(String node) {
        return true;
      }
    };
    ClusterRouter router = new ClusterRouter(vertx, "a", withC, TIMING, Clock.systemUTC(), System::nanoTime,
        new SimpleMeterRegistry(), LocalInstances.NONE);
    await(router.start());
    try {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        seen.add(await(router.<String>request("echo", "hi", new DeliveryOptions().setSendTimeout(200))).body());
      }
      assertThat(seen).containsExactly("a");
      assertThat(router.routable("c")).isFalse();
      assertThat(router.heardFrom("c")).as("what /admin/cluster lists as awaiting a first tick").isFalse();
      assertThat(router.heardFrom("a")).as("this node").isTrue();
    } finally {
      await(router.stop());
    }
  }

  @Test
  void addressesNobodyAdvertisesGoStraightToTheBus() throws Exception {
    vertx.eventBus().consumer("plain", m -> m.reply("plain"));
    assertThat(await(router.request("plain", null, new DeliveryOptions())).body()).isEqualTo("plain");
    assertThat(Map.copyOf(router.ejected())).isEmpty();
  }

  /** A request to b that will wait: b takes it and never answers; the bus alone would time it out after 10 s. */
  private Future<Message<Object>> waitingOnB() throws Exception {
    Promise<Message<Object>> outcome = Promise.promise();
    Promise<Void> sent = Promise.promise();
    vertx.runOnContext(v -> {
      router.request("slow", "hi", new DeliveryOptions().setSendTimeout(10_000)).onComplete(outcome);
      sent.complete();
    });
    await(sent.future());
    return outcome.future();
  }

  private static Throwable failureOf(Future<?> f) throws Exception {
    try {
      await(f);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  @Test
  void requestsWaitingOnALostNodeFailAtOnceAsNodeLostAndItGetsNoMoreTraffic() throws Exception {
    Future<Message<Object>> waiting = waitingOnB();
    vertx.runOnContext(v -> router.eject("b", Ejection.UNREACHABLE, "cannot be reached (Connection refused)"));
    Throwable t = failureOf(waiting);
    assertThat(ActorFailures.is(t, ActorFailures.NODE_LOST)).as("failed as lost, not left to its 10 s timeout: %s", t)
        .isTrue();
    assertThat(registry.get(MetricNames.CLUSTER_LOST_REQUESTS).counter().count()).isEqualTo(1.0);
    assertThat(registry.get(MetricNames.CLUSTER_EJECTIONS).tag("reason", "unreachable").counter().count()).isEqualTo(1.0);
    assertThat(router.ejected().get("b").reason()).isEqualTo(Ejection.UNREACHABLE);
    for (int i = 0; i < 10; i++) {
      assertThat(ask()).isEqualTo("a");
    }
  }

  @Test
  void aNodeThatStopsTickingIsEjectedByItsSilenceAndItsWaitingRequestsFail() throws Exception {
    Future<Message<Object>> waiting = waitingOnB();
    frozen.set(true); // b stops ticking: after 400 ms of silence it is lost
    Throwable t = failureOf(waiting);
    assertThat(ActorFailures.is(t, ActorFailures.NODE_LOST)).as("%s", t).isTrue();
    assertThat(router.ejected().get("b").reason()).isEqualTo(Ejection.SILENT);
  }

  @Test
  void aNodeEjectedForATimeoutKeepsTheRequestsItHas() throws Exception {
    Future<Message<Object>> waiting = waitingOnB();
    vertx.runOnContext(v -> router.eject("b", Ejection.TIMEOUT, "did not answer a request to slow in time"));
    // b ticks: it is alive, so what it has is its to answer; only new requests go elsewhere
    Promise<Message<Object>> raced = Promise.promise();
    vertx.setTimer(300, id -> raced.tryComplete(null));
    waiting.onComplete(ar -> raced.tryFail(ar.failed() ? ar.cause() : new AssertionError("answered")));
    assertThat(await(raced.future())).as("still waiting 300 ms after the ejection").isNull();
    assertThat(registry.get(MetricNames.CLUSTER_LOST_REQUESTS).counter().count()).isZero();
  }

  @Test
  void aNodeOutForATimeoutThatIsThenFoundLostFailsWhatItStillHas() throws Exception {
    Future<Message<Object>> waiting = waitingOnB();
    vertx.runOnContext(v -> {
      router.eject("b", Ejection.TIMEOUT, "did not answer a request to slow in time");
      router.eject("b", Ejection.SILENT, "sent no tick for 640 ms");
    });
    assertThat(ActorFailures.is(failureOf(waiting), ActorFailures.NODE_LOST)).isTrue();
    assertThat(router.ejected().get("b").reason()).isEqualTo(Ejection.SILENT);
  }

  @Test
  void aNodeThatLeftFailsTheRequestsWaitingOnItAndIsNoLongerEjected() throws Exception {
    Future<Message<Object>> waiting = waitingOnB();
    vertx.runOnContext(v -> router.left("b"));
    assertThat(ActorFailures.is(failureOf(waiting), ActorFailures.NODE_LOST)).isTrue();
    assertThat(router.ejected()).isEmpty();
  }
}
