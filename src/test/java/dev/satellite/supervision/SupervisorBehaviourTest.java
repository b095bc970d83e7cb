package dev.satellite.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.actor.ActorFailures;
import dev.satellite.chaos.FaultRegistry;
import dev.satellite.config.ChildSpec;
import dev.satellite.config.SupervisorSpec;
import dev.satellite.config.SupervisorSpec.Strategy;
import dev.satellite.services.ActorTypes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Supervisors on a real Vert.x: crash detection, replacement, strategies, escalation, giving up. */
@ExtendWith(VertxExtension.class)
@Timeout(30_000)
class SupervisorBehaviourTest {

  private static final SupervisorSpec.Backoff NO_BACKOFF =
      new SupervisorSpec.Backoff(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30), 0);
  private static final SupervisorSpec.Liveness NO_PINGS =
      new SupervisorSpec.Liveness(false, Duration.ofSeconds(1), Duration.ofSeconds(1), 1);

  private Vertx vertx;
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();
  private final List<String> exits = new CopyOnWriteArrayList<>();
  private SupervisionTree tree;
  private FaultRegistry faults;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    ProbeActor.STARTS.clear();
    ProbeActor.STARTED.clear();
    tree = new SupervisionTree(new SimpleMeterRegistry());
    faults = new FaultRegistry(Clock.systemUTC());
    vertx.eventBus().<JsonObject>consumer(SupervisionEvents.ADDRESS, m -> events.add(m.body()));
  }

  private Supervision supervision() {
    return new Supervision("test-node", Clock.systemUTC(), () -> 0.5, ActorTypes::create, faults,
        new SupervisionEvents(vertx, new SimpleMeterRegistry()), tree, (code, reason) -> exits.add(code + " " + reason),
        new SimpleMeterRegistry(), null);
  }

  private static ChildSpec probe(String id, int instances, Map<String, Object> settings) {
    return new ChildSpec(id, Optional.of(ProbeActor.class.getName()), Optional.empty(), id, instances,
        ChildSpec.Restart.PERMANENT, Duration.ofMillis(500), Duration.ofSeconds(1), 1024, settings);
  }

  private static ChildSpec probe(String id, int instances) {
    return probe(id, instances, Map.of("key", id));
  }

  private static ChildSpec nested(SupervisorSpec spec) {
    return new ChildSpec(spec.id(), Optional.empty(), Optional.of(spec), spec.id(), 1, ChildSpec.Restart.PERMANENT,
        Duration.ofSeconds(5), Duration.ofSeconds(1), 1024, Map.of());
  }

  private static SupervisorSpec spec(String id, Strategy strategy, int maxRestarts, List<ChildSpec> children) {
    return new SupervisorSpec(id, strategy, maxRestarts, Duration.ofSeconds(10), NO_BACKOFF, NO_PINGS, children);
  }

  private void startRoot(SupervisorSpec spec) throws Exception {
    await(vertx.deployVerticle(Supervisor.root(spec, supervision())));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private String ask(String address, String body) throws Exception {
    return String.valueOf(await(vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(5000))).body());
  }

  private ReplyException askFails(String address, String body, long timeoutMs) throws Exception {
    try {
      await(vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs)));
    } catch (ExecutionException e) {
      return (ReplyException) e.getCause();
    }
    throw new AssertionError("expected " + address + " to fail on " + body);
  }

  /** Waits until an event matching the predicate was published (events are delivered on the bus). */
  private JsonObject awaitEvent(Predicate<JsonObject> p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (JsonObject e : events) {
        if (p.test(e)) {
          return e;
        }
      }
      CompletableFuture<Void> tick = new CompletableFuture<>();
      vertx.setTimer(5, t -> tick.complete(null));
      tick.get();
    }
    throw new AssertionError("no matching event; saw " + events);
  }

  private static Predicate<JsonObject> event(String type, String child) {
    return e -> type.equals(e.getString("event")) && child.equals(e.getString("child"));
  }

  private List<Long> generations(String supervisorPath, String child) {
    JsonObject t = tree.tree(supervisorPath);
    List<Long> out = new ArrayList<>();
    for (Object c : t.getJsonArray("children")) {
      JsonObject cj = (JsonObject) c;
      if (cj.getString("id").equals(child)) {
        for (Object i : cj.getJsonArray("instances")) {
          out.add(((JsonObject) i).getLong("generation"));
        }
      }
    }
    return out;
  }

  private JsonObject child(String supervisorPath, String child) {
    for (Object c : tree.tree(supervisorPath).getJsonArray("children")) {
      if (((JsonObject) c).getString("id").equals(child)) {
        return (JsonObject) c;
      }
    }
    throw new AssertionError("no child " + child);
  }

  @Test
  void anExceptionInTheHandlerReplacesTheInstanceWithAFreshObject() throws Exception {
    startRoot(spec("root", Strategy.ONE_FOR_ONE, 5, List.of(probe("p", 1))));
    String before = ask("p", "who");
    ReplyException failure = askFails("p", "boom", 5000);
    assertThat(failure.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(failure.failureCode()).isEqualTo(ActorFailures.CRASHED);
    JsonObject crashed = awaitEvent(event("ActorCrashed", "p"));
    assertThat(crashed.getString("kind")).isEqualTo("exception");
    assertThat(crashed.getString("reason")).contains("boom");
    awaitEvent(event("ActorRestarted", "p"));
    String after = ask("p", "who");
    assertThat(after).isNotEqualTo(before).startsWith("p#0@");
    assertThat(child("root", "p").getInteger("restarts")).isEqualTo(1);
  }

  @Test
  void anExceptionFromATimerOnTheActorsContextIsACrashToo() throws Exception {
    startRoot(spec("root", Strategy.ONE_FOR_ONE, 5, List.of(probe("p", 1))));
    String before = ask("p", "who");
    assertThat(ask("p", "timer-boom")).isEqualTo("armed");
    assertThat(awaitEvent(event("ActorCrashed", "p")).getString("reason")).contains("boom from a timer");
    awaitEvent(event("ActorRestarted", "p"));
    assertThat(ask("p", "who")).isNotEqualTo(before);
  }

  @Test
  void anExplicitCrashReplacesTheInstance() throws Exception {
    startRoot(spec("root", Strategy.ONE_FOR_ONE, 5, List.of(probe("p", 1))));
    String before = ask("p", "who");
    ReplyException failure = askFails("p", "crash", 5000);
    assertThat(failure.failureCode()).isEqualTo(ActorFailures.CRASHED);
    JsonObject crashed = awaitEvent(event("ActorCrashed", "p"));
    assertThat(crashed.getString("kind")).isEqualTo("explicit");
    assertThat(crashed.getString("reason")).isEqualTo("asked to crash");
    awaitEvent(event("ActorRestarted", "p"));
    assertThat(ask("p", "who")).isNotEqualTo(before);
  }

  @Test
  void aFailedStartOfAReplacementIsACrashAndIsRetried() throws Exception {
    // start #1 succeeds, #2 (the first replacement) fails, #3 succeeds
    startRoot(spec("root", Strategy.ONE_FOR_ONE, 5, List.of(probe("p", 1, Map.of("key", "fs", "failStart", List.of(2))))));
    askFails("p", "boom", 5000);
    JsonObject startFailed = awaitEvent(e -> "start_failed".equals(e.getString("kind")));
    assertThat(startFailed.getString("reason")).contains("start number 2 fails on purpose");
    awaitEvent(e -> "ActorRestarted".equals(e.getString("event")) && "start_failed".equals(e.getString("reason")));
    assertThat(ask("p", "who")).startsWith("p#0@");
    assertThat(ProbeActor.STARTS.get("fs").get()).isEqualTo(3);
  }

  @Test
  void aStartThatNeverFinishesTimesOutAndIsACrash() throws Exception {
    startRoot(spec("root", Strategy.ONE_FOR_ONE, 5, List.of(probe("p", 1, Map.of("key", "hs", "hangStart", List.of(2))))));
    askFails("p", "boom", 5000);
    JsonObject timedOut = awaitEvent(e -> "start_timeout".equals(e.getString("kind")));
    assertThat(timedOut.getString("reason")).contains("500ms");
    awaitEvent(e -> "ActorRestarted".equals(e.getString("event")) && "start_timeout".equals(e.getString("reason")));
    assertThat(ask("p", "who")).startsWith("p#0@");
  }

  @Test
  void aHungInstanceIsFoundByLivenessPingsAndReplaced() throws Exception {
    SupervisorSpec.Liveness fastPings = new SupervisorSpec.Liveness(true, Duration.ofMillis(50), Duration.ofMillis(100), 2);
    startRoot(new SupervisorSpec("root", Strategy.ONE_FOR_ONE, 5, Duration.ofSeconds(10), NO_BACKOFF, fastPings,
        List.of(probe("p", 1))));
    String before = ask("p", "who");
    faults.hang("p", Duration.ofMillis(800));
    // a request held by the hung instance fails as soon as it is replaced, well before its own timeout
    long t0 = System.nanoTime();
    ReplyException held = askFails("p", "who", 5000);
    assertThat(held.failureCode()).isIn(ActorFailures.UNRESPONSIVE, ActorFailures.CRASHED);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
    assertThat(awaitEvent(event("ActorCrashed", "p")).getString("kind")).isEqualTo("unresponsive");
    awaitEvent(event("ActorRestarted", "p"));
    faults.active().forEach(f -> faults.remove(f.id()));
    assertThat(ask("p", "who")).isNotEqualTo(before);
  }

  @Test
  void aRequestInFlightOnACrashedInstanceFailsPromptly() throws Exception {
    startRoot(spec("root", Strategy.ONE_FOR_ONE, 5, List.of(probe("p", 1))));
    long t0 = System.nanoTime();
    Future<?> held = vertx.eventBus().request("p", "hold", new DeliveryOptions().setSendTimeout(10_000));
    askFails("p", "crash", 5000);
    try {
      await(held);
      throw new AssertionError("the held request should fail");
    } catch (ExecutionException e) {
      ReplyException re = (ReplyException) e.getCause();
      assertThat(re.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
      assertThat(re.failureCode()).isEqualTo(ActorFailures.CRASHED);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void oneForOneWithThreeInstancesRestartsOnlyTheCrashedOne() throws Exception {
    startRoot(spec("root", Strategy.ONE_FOR_ONE, 5, List.of(probe("p", 3), probe("q", 1))));
    List<Long> before = generations("root", "p");
    List<Long> qBefore = generations("root", "q");
    askFails("p", "boom", 5000);
    JsonObject restarted = awaitEvent(event("ActorRestarted", "p"));
    int crashed = restarted.getInteger("instance");
    List<Long> after = generations("root", "p");
    for (int i = 0; i < 3; i++) {
      if (i == crashed) {
        assertThat(after.get(i)).isGreaterThan(before.get(i));
      } else {
        assertThat(after.get(i)).isEqualTo(before.get(i));
      }
    }
    assertThat(generations("root", "q")).isEqualTo(qBefore);
    assertThat(child("root", "p").getInteger("alive")).isEqualTo(3);
    assertThat(events.stream().filter(e -> "ActorRestarted".equals(e.getString("event")))).hasSize(1);
  }

  @Test
  void withTwoInstancesTheBusKeepsServingWhileOneIsReplaced() throws Exception {
    startRoot(spec("root", Strategy.ONE_FOR_ONE, 5, List.of(probe("p", 2))));
    askFails("p", "boom", 5000);
    // the crashed instance unregistered at once: every request meanwhile lands on a live one
    for (int i = 0; i < 20; i++) {
      assertThat(ask("p", "who")).startsWith("p#");
    }
  }

  @Test
  void restForOneRestartsTheCrashedChildAndTheOnesStartedAfterIt() throws Exception {
    startRoot(spec("root", Strategy.REST_FOR_ONE, 5, List.of(probe("a", 1), probe("b", 1), probe("c", 1))));
    List<Long> a = generations("root", "a");
    List<Long> b = generations("root", "b");
    List<Long> c = generations("root", "c");
    askFails("b", "boom", 5000);
    awaitEvent(event("ActorRestarted", "b"));
    JsonObject sibling = awaitEvent(event("ActorRestarted", "c"));
    assertThat(sibling.getString("reason")).isEqualTo("sibling");
    assertThat(generations("root", "a")).isEqualTo(a);
    assertThat(generations("root", "b").get(0)).isGreaterThan(b.get(0));
    assertThat(generations("root", "c").get(0)).isGreaterThan(c.get(0));
  }

  @Test
  void oneForAllRestartsEveryChild() throws Exception {
    startRoot(spec("root", Strategy.ONE_FOR_ALL, 5, List.of(probe("a", 1), probe("b", 2))));
    List<Long> a = generations("root", "a");
    askFails("b", "boom", 5000);
    awaitEvent(event("ActorRestarted", "a"));
    long bRestarts = 0;
    while (bRestarts < 2) {
      awaitEvent(event("ActorRestarted", "b"));
      bRestarts = events.stream().filter(event("ActorRestarted", "b")).count();
    }
    assertThat(generations("root", "a").get(0)).isGreaterThan(a.get(0));
    assertThat(ask("a", "who")).startsWith("a#0@");
  }

  @Test
  void aNestedSupervisorThatGivesUpEscalatesAndIsReplacedByItsParent() throws Exception {
    SupervisorSpec inner = spec("inner", Strategy.ONE_FOR_ONE, 0, List.of(probe("p", 1)));
    startRoot(spec("root", Strategy.ONE_FOR_ONE, 5, List.of(nested(inner))));
    String before = ask("p", "who");
    askFails("p", "boom", 5000);
    JsonObject gaveUp = awaitEvent(e -> "SupervisorGaveUp".equals(e.getString("event")));
    assertThat(gaveUp.getString("supervisor")).isEqualTo("root/inner");
    JsonObject escalated = awaitEvent(event("ActorCrashed", "inner"));
    assertThat(escalated.getString("kind")).isEqualTo("escalated");
    assertThat(escalated.getString("reason")).contains("root/inner").contains("boom");
    awaitEvent(event("ActorRestarted", "inner"));
    awaitEvent(e -> "ActorRestarted".equals(e.getString("event")) || tree.tree("root/inner") != null);
    String after = ask("p", "who");
    assertThat(after).isNotEqualTo(before);
    assertThat(exits).isEmpty();
    JsonObject rootTree = tree.tree("root");
    assertThat(rootTree.getJsonArray("children").getJsonObject(0).getJsonObject("supervisor").getString("state"))
        .isEqualTo("running");
  }

  @Test
  void theRootGivingUpCallsTheExitHookWith70AndTheChainOfReasons() throws Exception {
    SupervisorSpec inner = spec("inner", Strategy.ONE_FOR_ONE, 0, List.of(probe("p", 1)));
    startRoot(spec("root", Strategy.ONE_FOR_ONE, 0, List.of(nested(inner))));
    askFails("p", "boom", 5000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (exits.isEmpty() && System.nanoTime() < deadline) {
      awaitEvent(e -> true);
      Thread.onSpinWait();
    }
    assertThat(exits).singleElement().asString()
        .startsWith("70 supervisor 'root' gave up")
        .contains("supervisor 'root/inner' gave up")
        .contains("boom");
  }

  @Test
  void whileAChildHasNoLiveInstanceRequestsFailFastWithNoHandlers() throws Exception {
    SupervisorSpec.Backoff slow = new SupervisorSpec.Backoff(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(1), 0);
    startRoot(new SupervisorSpec("root", Strategy.ONE_FOR_ONE, 5, Duration.ofSeconds(10), slow, NO_PINGS, List.of(probe("p", 1))));
    askFails("p", "boom", 5000);
    awaitEvent(event("ActorRestarted", "p"));
    askFails("p", "boom", 5000); // second crash in a row: the replacement waits 5 s
    awaitEvent(e -> events.stream().filter(event("ActorCrashed", "p")).count() == 2);
    long t0 = System.nanoTime();
    ReplyException none = askFails("p", "who", 5000);
    assertThat(none.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    JsonObject p = child("root", "p");
    assertThat(p.getString("status")).isEqualTo("backing_off");
    assertThat(p.getLong("backoffMs")).isEqualTo(5000);
    assertThat(p.getInteger("alive")).isZero();
  }

  @Test
  void oneForAllStartsTheChildrenAgainInDeclaredOrderEachAfterTheOneBeforeIsUp() throws Exception {
    // b cannot start without a (it asks a in onStart), as at first start; c needs b
    startRoot(spec("root", Strategy.ONE_FOR_ALL, 5, List.of(probe("a", 1),
        probe("b", 1, Map.of("key", "b", "needs", "a")), probe("c", 1, Map.of("key", "c", "needs", "b")))));
    assertThat(ProbeActor.STARTED).containsExactly("a", "b", "c");
    askFails("c", "boom", 5000);
    awaitEvent(event("ActorRestarted", "c"));
    assertThat(ProbeActor.STARTED).containsExactly("a", "b", "c", "a", "b", "c");
    assertThat(events.stream().filter(e -> "ActorCrashed".equals(e.getString("event"))))
        .as("one crash, and no start that failed for want of an earlier sibling").hasSize(1);
    assertThat(ask("c", "who")).startsWith("c#0@");
  }

  @Test
  void restForOneStartsTheCrashedChildAndTheLaterOnesInOrder() throws Exception {
    startRoot(spec("root", Strategy.REST_FOR_ONE, 5, List.of(probe("a", 1),
        probe("b", 2, Map.of("key", "b", "needs", "a")), probe("c", 1, Map.of("key", "c", "needs", "b")))));
    ProbeActor.STARTED.clear();
    askFails("b", "boom", 5000);
    awaitEvent(event("ActorRestarted", "c"));
    assertThat(ProbeActor.STARTED).as("both b's before c").containsExactly("b", "b", "c");
    assertThat(events.stream().filter(e -> "ActorCrashed".equals(e.getString("event")))).hasSize(1);
  }

  @Test
  void aTemporaryChildsCrashIsNeitherARestartNorCountedTowardsGivingUp() throws Exception {
    ChildSpec temp = new ChildSpec("t", Optional.of(ProbeActor.class.getName()), Optional.empty(), "t", 2,
        ChildSpec.Restart.TEMPORARY, Duration.ofSeconds(1), Duration.ofSeconds(1), 1024, Map.of("key", "t2"));
    startRoot(spec("root", Strategy.ONE_FOR_ONE, 0, List.of(temp, probe("p", 1))));
    askFails("t", "boom", 5000);
    askFails("t", "boom", 5000);
    JsonObject crashed = awaitEvent(event("ActorCrashed", "t"));
    assertThat(crashed.getBoolean("counted")).isFalse();
    assertThat(exits).as("maxRestarts 0, yet nothing to give up for").isEmpty();
    assertThat(tree.tree("root").getString("state")).isEqualTo("running");
    assertThat(child("root", "t").getInteger("restarts")).isZero();
    assertThat(ask("p", "who")).startsWith("p#0@");
  }

  @Test
  void aCrashOnARequestThroughABreakerIsNotCountedButOneWithoutIs() throws Exception {
    startRoot(spec("root", Strategy.ONE_FOR_ONE, 1, List.of(probe("p", 1))));
    DeliveryOptions shielded = new DeliveryOptions().setSendTimeout(5000)
        .addHeader(dev.satellite.actor.MessageHeaders.SHIELDED, "1");
    for (int i = 0; i < 5; i++) {
      vertx.eventBus().request("p", "boom", shielded).recover(t -> Future.succeededFuture()).toCompletionStage()
          .toCompletableFuture().get(5, TimeUnit.SECONDS);
      int n = i + 1;
      awaitEvent(e -> events.stream().filter(event("ActorRestarted", "p")).count() == n);
    }
    assertThat(events.stream().filter(event("ActorCrashed", "p"))).allMatch(e -> "poison".equals(e.getString("kind"))
        && !e.getBoolean("counted"));
    assertThat(exits).as("five poison crashes against a limit of one").isEmpty();
    askFails("p", "boom", 5000); // without the header: an exception, counted
    awaitEvent(e -> events.stream().filter(event("ActorRestarted", "p")).count() == 6);
    assertThat(exits).isEmpty();
    askFails("p", "boom", 5000); // the second counted crash within the period: over the limit of one
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (exits.isEmpty() && System.nanoTime() < deadline) {
      awaitEvent(e -> true);
    }
    assertThat(exits).singleElement().asString().startsWith("70 supervisor 'root' gave up after 2 crashes");
  }

  @Test
  void temporaryChildrenAreNotRestarted() throws Exception {
    ChildSpec temp = new ChildSpec("t", Optional.of(ProbeActor.class.getName()), Optional.empty(), "t", 1,
        ChildSpec.Restart.TEMPORARY, Duration.ofSeconds(1), Duration.ofSeconds(1), 1024, Map.of("key", "t"));
    startRoot(spec("root", Strategy.ONE_FOR_ONE, 5, List.of(temp)));
    askFails("t", "boom", 5000);
    awaitEvent(event("ActorCrashed", "t"));
    assertThat(askFails("t", "who", 1000).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
    assertThat(child("root", "t").getString("status")).isEqualTo("stopped");
  }

  @Test
  void theTreeListsEverySupervisorAndChild() throws Exception {
    SupervisorSpec inner = spec("inner", Strategy.REST_FOR_ONE, 3, List.of(probe("p", 2)));
    startRoot(spec("root", Strategy.ONE_FOR_ONE, 5, List.of(probe("a", 1), nested(inner))));
    JsonObject root = tree.tree("root");
    assertThat(root.getString("id")).isEqualTo("root");
    assertThat(root.getString("strategy")).isEqualTo("one_for_one");
    assertThat(root.getInteger("maxRestarts")).isEqualTo(5);
    assertThat(root.getString("period")).isEqualTo("10s");
    JsonArray children = root.getJsonArray("children");
    assertThat(children.getJsonObject(0).getString("kind")).isEqualTo("actor");
    JsonObject nestedChild = children.getJsonObject(1);
    assertThat(nestedChild.getString("kind")).isEqualTo("supervisor");
    JsonObject nestedTree = nestedChild.getJsonObject("supervisor");
    assertThat(nestedTree.getString("strategy")).isEqualTo("rest_for_one");
    JsonObject p = nestedTree.getJsonArray("children").getJsonObject(0);
    assertThat(p.fieldNames()).contains("id", "kind", "wanted", "alive", "restarts", "lastCrash", "backoffMs");
    assertThat(p.getInteger("wanted")).isEqualTo(2);
    assertThat(p.getInteger("alive")).isEqualTo(2);
    assertThat(tree.actorStatuses("root").fieldNames()).containsExactlyInAnyOrder("a", "inner/p");
  }
}
