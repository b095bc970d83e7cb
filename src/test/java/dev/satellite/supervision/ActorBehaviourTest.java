package dev.satellite.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.actor.ActorFailures;
import dev.satellite.actor.Deadlines;
import dev.satellite.chaos.FaultRegistry;
import dev.satellite.cluster.BusRouter;
import dev.satellite.cluster.LocalInstances;
import dev.satellite.config.ChildSpec;
import dev.satellite.config.SupervisorSpec;
import dev.satellite.services.ActorTypes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The actor base: bounded mailbox, deadlines, typed bodies, trace propagation. */
@ExtendWith(VertxExtension.class)
@Timeout(30_000)
class ActorBehaviourTest {

  private Vertx vertx;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    ProbeActor.HANDLED.set(0);
  }

  private static ChildSpec child(String id, Class<?> type, int mailbox, Map<String, Object> settings) {
    return new ChildSpec(id, Optional.of(type.getName()), Optional.empty(), id, 1, ChildSpec.Restart.PERMANENT,
        Duration.ofSeconds(1), Duration.ofSeconds(1), mailbox, settings);
  }

  private void start(ChildSpec... children) throws Exception {
    start(null, children);
  }

  private void start(BusRouter bus, ChildSpec... children) throws Exception {
    SupervisorSpec spec = new SupervisorSpec("root", SupervisorSpec.Strategy.ONE_FOR_ONE, 5, Duration.ofSeconds(10),
        new SupervisorSpec.Backoff(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30), 0),
        new SupervisorSpec.Liveness(false, Duration.ofSeconds(1), Duration.ofSeconds(1), 1), List.of(children));
    Supervision supervision = new Supervision("test-node", Clock.systemUTC(), () -> 0.5, ActorTypes::create,
        FaultRegistry.DISABLED, new SupervisionEvents(vertx, registry), new SupervisionTree(registry),
        (code, reason) -> { }, registry, bus);
    await(vertx.deployVerticle(Supervisor.root(spec, supervision)));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private ReplyException fails(Future<?> f) throws Exception {
    try {
      await(f);
    } catch (ExecutionException e) {
      return (ReplyException) e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private double refused(String actor, String reason) {
    var counter = registry.find("satellite_actor_refused").tags("actor", actor, "reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void theMailboxRefusesTheOverflowAtOnceAndCountsIt() throws Exception {
    start(child("p", ProbeActor.class, 2, Map.of("key", "mb")));
    DeliveryOptions patient = new DeliveryOptions().setSendTimeout(10_000);
    List<Future<Message<Object>>> held = new ArrayList<>();
    held.add(vertx.eventBus().request("p", "hold", patient));
    held.add(vertx.eventBus().request("p", "hold", patient));
    // make sure both are inside the actor before the third arrives
    await(vertx.eventBus().request("satellite.nothing", null, new DeliveryOptions().setSendTimeout(50)).recover(t -> Future.succeededFuture()));
    long t0 = System.nanoTime();
    ReplyException full = fails(vertx.eventBus().request("p", "who", patient));
    assertThat(full.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(full.failureCode()).isEqualTo(ActorFailures.MAILBOX_FULL);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    assertThat(refused("p", "mailbox_full")).isEqualTo(1.0);
    assertThat(held).allMatch(f -> !f.isComplete());
  }

  @Test
  void aMessageWhoseDeadlinePassedIsNotWorkedOn() throws Exception {
    start(child("p", ProbeActor.class, 16, Map.of("key", "dl")));
    DeliveryOptions expired = new DeliveryOptions().setSendTimeout(5000)
        .addHeader(Deadlines.HEADER, Long.toString(System.currentTimeMillis() - 1));
    ReplyException late = fails(vertx.eventBus().request("p", "who", expired));
    assertThat(late.failureCode()).isEqualTo(ActorFailures.DEADLINE);
    assertThat(ProbeActor.HANDLED.get()).isZero();
    assertThat(refused("p", "deadline")).isEqualTo(1.0);

    DeliveryOptions inTime = new DeliveryOptions().setSendTimeout(5000)
        .addHeader(Deadlines.HEADER, Long.toString(System.currentTimeMillis() + 5000));
    assertThat(await(vertx.eventBus().request("p", "who", inTime)).body()).asString().startsWith("p#0@");
    assertThat(ProbeActor.HANDLED.get()).isEqualTo(1);
  }

  @Test
  void aBodyOfTheWrongTypeIsRefusedWith400NotACrash() throws Exception {
    start(child("echo", dev.satellite.services.EchoActor.class, 16, Map.of()));
    ReplyException bad = fails(vertx.eventBus().request("echo", "not json", new DeliveryOptions().setSendTimeout(5000)));
    assertThat(bad.failureCode()).isEqualTo(400);
    JsonObject body = new JsonObject().put("a", 1);
    assertThat(await(vertx.eventBus().request("echo", body)).body()).isEqualTo(body);
    assertThat(refused("echo", "bad_message")).isEqualTo(1.0);
  }

  @Test
  void theRequestIdAndDeadlineTravelAcrossTwoHops() throws Exception {
    start(child("p", ProbeActor.class, 16, Map.of("key", "tr")),
        child("relay", RelayActor.class, 16, Map.of("target", "p")));
    long deadline = System.currentTimeMillis() + 3000;
    DeliveryOptions options = Deadlines.options(deadline, "trace-me-42", Clock.systemUTC());
    JsonObject seen = (JsonObject) await(vertx.eventBus().request("relay", "trace", options)).body();
    assertThat(seen.getString("requestId")).isEqualTo("trace-me-42");
    assertThat(seen.getString("deadline")).isEqualTo(Long.toString(deadline));
  }

  @Test
  void aRelayWhoseDeadlinePassedDoesNotAskFurther() throws Exception {
    start(child("p", ProbeActor.class, 16, Map.of("key", "tr2")),
        child("relay", RelayActor.class, 16, Map.of("target", "p")));
    // the relay itself refuses it: the deadline is checked before any work
    DeliveryOptions expired = new DeliveryOptions().setSendTimeout(5000)
        .addHeader(Deadlines.HEADER, Long.toString(System.currentTimeMillis() - 10));
    assertThat(fails(vertx.eventBus().request("relay", "trace", expired)).failureCode()).isEqualTo(ActorFailures.DEADLINE);
    assertThat(ProbeActor.HANDLED.get()).isZero();
  }

  @Test
  void aRequestMadeOnALoopWithAnInstanceIsAnsweredOnThatLoop() throws Exception {
    LocalInstances instances = new LocalInstances();
    BusRouter bus = BusRouter.local(vertx, instances);
    int loops = 2 * Runtime.getRuntime().availableProcessors(); // the test Vert.x has Vert.x's default loops
    start(bus, new ChildSpec("p", Optional.of(ProbeActor.class.getName()), Optional.empty(), "p", loops,
        ChildSpec.Restart.PERMANENT, Duration.ofSeconds(1), Duration.ofSeconds(1), 16, Map.of("key", "loops")));
    Set<String> instanceLoops = new HashSet<>(askFromEveryLoop(bus, "thread", loops).values());

    Map<String, String> answeredOn = askFromEveryLoop(bus, "thread", loops);
    int local = 0;
    for (Map.Entry<String, String> e : answeredOn.entrySet()) {
      if (instanceLoops.contains(e.getKey())) {
        assertThat(e.getValue()).as("asked on " + e.getKey()).isEqualTo(e.getKey());
        local++;
      }
    }
    assertThat(local).as("callers on a loop that hosts an instance").isPositive();

    // an instance that crashed is no longer routed to: the same loop's next request still gets an answer
    String loop = instanceLoops.iterator().next();
    Context there = contextOn(loop, loops);
    await(onContext(there, () -> bus.request("p", "crash", new DeliveryOptions().setSendTimeout(500))
        .recover(t -> Future.succeededFuture())));
    Object after = await(onContext(there, () -> bus.request("p", "who", new DeliveryOptions().setSendTimeout(2000))
        .map(Message::body)));
    assertThat(after).asString().startsWith("p#");
  }

  /** Asks {@code p} once from a context on each of {@code n} event loops; caller thread → answering thread. */
  private Map<String, String> askFromEveryLoop(BusRouter bus, String body, int n) throws Exception {
    Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
    List<Future<Object>> asked = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Context ctx = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
      asked.add(onContext(ctx, () -> bus.request("p", body, new DeliveryOptions().setSendTimeout(2000)).map(m -> {
        seen.put(Thread.currentThread().getName(), String.valueOf(m.body()));
        return m.body();
      })));
    }
    await(Future.all(asked));
    return seen;
  }

  private Context contextOn(String threadName, int n) throws Exception {
    for (int i = 0; i < 4 * n; i++) {
      Context ctx = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
      if (await(onContext(ctx, () -> Future.succeededFuture(Thread.currentThread().getName()))).equals(threadName)) {
        return ctx;
      }
    }
    throw new AssertionError("no context on " + threadName);
  }

  private static <T> Future<T> onContext(Context ctx, java.util.function.Supplier<Future<T>> work) {
    io.vertx.core.Promise<T> done = io.vertx.core.Promise.promise();
    ctx.runOnContext(v -> work.get().onComplete(done));
    return done.future();
  }
}
