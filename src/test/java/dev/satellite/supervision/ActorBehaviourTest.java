package dev.satellite.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.actor.ActorFailures;
import dev.satellite.actor.MessageHeaders;
import dev.satellite.actor.TraceContext;
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

/** The actor runtime: bounded mailbox, deadlines and their expiry, typed bodies, request id and trace propagation. */
@ExtendWith(VertxExtension.class)
@Timeout(30_000)
class ActorBehaviourTest {

  private Vertx vertx;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private FaultRegistry faults = FaultRegistry.DISABLED;

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
    start(bus, new SupervisorSpec.Liveness(false, Duration.ofSeconds(1), Duration.ofSeconds(1), 1), children);
  }

  private void start(BusRouter bus, SupervisorSpec.Liveness liveness, ChildSpec... children) throws Exception {
    start(bus, liveness, Clock.systemUTC(), children);
  }

  private void start(BusRouter bus, SupervisorSpec.Liveness liveness, Clock clock, ChildSpec... children) throws Exception {
    SupervisorSpec spec = new SupervisorSpec("root", SupervisorSpec.Strategy.ONE_FOR_ONE, 5, Duration.ofSeconds(10),
        new SupervisorSpec.Backoff(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30), 0), liveness, List.of(children));
    Supervision supervision = new Supervision("test-node", clock, () -> 0.5, ActorTypes::create,
        faults, new SupervisionEvents(vertx, registry), new SupervisionTree(registry),
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
  void injectedLatencyKeepsTheMessagesMailboxSlotAndAnInjectedErrorFailsWithItsCode() throws Exception {
    faults = new FaultRegistry(Clock.systemUTC());
    start(child("p", ProbeActor.class, 1, Map.of("key", "lat")));
    dev.satellite.chaos.FaultSpec.Catalog catalog = dev.satellite.chaos.FaultSpec.Catalog.of(java.util.Set.of("p"),
        java.util.Set.of(), java.util.Set.of());
    dev.satellite.chaos.Fault slow = faults.inject(dev.satellite.chaos.FaultSpec.parse(
        new JsonObject().put("type", "latency").put("target", "p").put("delayMs", 400), catalog));
    DeliveryOptions patient = new DeliveryOptions().setSendTimeout(5000);
    Future<Message<Object>> delayed = vertx.eventBus().request("p", "who", patient);
    ReplyException full = fails(vertx.eventBus().request("p", "who", patient));
    assertThat(full.failureCode()).as("the delayed message holds the only slot").isEqualTo(ActorFailures.MAILBOX_FULL);
    assertThat(delayed.isComplete()).isFalse();
    assertThat(await(delayed).body()).asString().startsWith("p#0@");
    faults.remove(slow.id());
    faults.inject(dev.satellite.chaos.FaultSpec.parse(new JsonObject().put("type", "error").put("target", "p").put("code", -7),
        catalog));
    assertThat(fails(vertx.eventBus().request("p", "who", patient)).failureCode()).isEqualTo(-7);
    assertThat(ProbeActor.HANDLED.get()).isEqualTo(1);
  }

  @Test
  void anInstanceTheMonkeyCrashesIsReplacedAndEnlistsAgain() throws Exception {
    faults = new FaultRegistry(Clock.systemUTC());
    start(child("p", ProbeActor.class, 4, Map.of("key", "monkey")));
    List<dev.satellite.chaos.Victim> serving = faults.victims(List.of("p"));
    assertThat(serving).hasSize(1);
    serving.get(0).crash("test");
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while ((faults.victims(List.of("p")).isEmpty() || faults.victims(List.of("p")).get(0) == serving.get(0))
        && System.nanoTime() < deadline) {
      await(vertx.timer(10));
    }
    assertThat(faults.victims(List.of("p"))).hasSize(1).doesNotContain(serving.get(0));
    assertThat(registry.find("satellite_supervisor_restarts").tags("child", "p").counter().count()).isEqualTo(1.0);
    assertThat(await(vertx.eventBus().request("p", "who", new DeliveryOptions().setSendTimeout(5000))).body()).asString()
        .startsWith("p#0@");
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
    DeliveryOptions expired = new DeliveryOptions().setSendTimeout(5000).addHeader(MessageHeaders.TIMEOUT, "-1");
    ReplyException late = fails(vertx.eventBus().request("p", "who", expired));
    assertThat(late.failureCode()).isEqualTo(ActorFailures.DEADLINE);
    assertThat(ProbeActor.HANDLED.get()).isZero();
    assertThat(refused("p", "deadline")).isEqualTo(1.0);

    DeliveryOptions inTime = new DeliveryOptions().setSendTimeout(5000).addHeader(MessageHeaders.TIMEOUT, "5000");
    assertThat(await(vertx.eventBus().request("p", "who", inTime)).body()).asString().startsWith("p#0@");
    assertThat(ProbeActor.HANDLED.get()).isEqualTo(1);
  }

  @Test
  void aBodyThatCannotBeTheActorsTypeIsRefusedWith400Or415NotACrash() throws Exception {
    start(child("echo", dev.satellite.services.EchoActor.class, 16, Map.of()));
    ReplyException bad = fails(vertx.eventBus().request("echo", "not json", new DeliveryOptions().setSendTimeout(5000)));
    assertThat(bad.failureCode()).isEqualTo(400);
    assertThat(bad.getMessage()).startsWith("The body is not a JSON object: Unrecognized token 'not'")
        .doesNotContain("Impl").doesNotContain("io.").doesNotContain("Source");
    ReplyException image = fails(vertx.eventBus().request("echo", io.vertx.core.buffer.Buffer.buffer("{}"),
        new DeliveryOptions().setSendTimeout(5000).addHeader(MessageHeaders.CONTENT_TYPE, "image/png")));
    assertThat(image.failureCode()).isEqualTo(415);
    assertThat(image.getMessage()).contains("image/png");
    JsonObject body = new JsonObject().put("a", 1);
    assertThat(await(vertx.eventBus().request("echo", body)).body()).isEqualTo(body);
    // bytes that are JSON are read as JSON, whatever media type (but one that cannot be JSON) they came with
    assertThat(await(vertx.eventBus().request("echo", body.toBuffer(), new DeliveryOptions()
        .addHeader(MessageHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded"))).body()).isEqualTo(body);
    assertThat(refused("echo", "bad_message")).isEqualTo(2.0);
  }

  @Test
  void aMalformedTimeLeftHeaderIsA400NotAMessageWithoutDeadline() throws Exception {
    start(child("p", ProbeActor.class, 16, Map.of("key", "mal")));
    ReplyException bad = fails(vertx.eventBus().request("p", "who",
        new DeliveryOptions().setSendTimeout(5000).addHeader(MessageHeaders.TIMEOUT, "tomorrow")));
    assertThat(bad.failureCode()).isEqualTo(400);
    assertThat(bad.getMessage()).contains(MessageHeaders.TIMEOUT);
    assertThat(ProbeActor.HANDLED.get()).isZero();
  }

  @Test
  void theRequestIdTimeLeftAndTraceTravelAcrossTwoHops() throws Exception {
    start(child("p", ProbeActor.class, 16, Map.of("key", "tr")),
        child("relay", RelayActor.class, 16, Map.of("target", "p")));
    TraceContext trace = TraceContext.start();
    DeliveryOptions options = MessageHeaders.request(3000, "trace-me-42", trace.header());
    JsonObject seen = (JsonObject) await(vertx.eventBus().request("relay", "trace", options)).body();
    assertThat(seen.getString("requestId")).isEqualTo("trace-me-42");
    // the time left, not a point in time: each hop counts it down on its own clock
    assertThat(Long.parseLong(seen.getString("timeLeft"))).isBetween(1L, 3000L);
    assertThat(seen.getLong("millisLeft")).isBetween(1L, 3000L);
    TraceContext hop = TraceContext.parse(seen.getString("traceparent"));
    assertThat(hop.traceId()).isEqualTo(trace.traceId());
    assertThat(hop.spanId()).as("the relay's own span is the parent of the next hop").isNotEqualTo(trace.spanId());
  }

  @Test
  void aNodeWhoseWallClockIsAnHourAheadStillGivesAMessageTheTimeItHasLeft() throws Exception {
    // the sender's and the receiver's wall clocks disagree by an hour: the deadline travels as time left, so the
    // receiver neither refuses the message as late nor gives it an hour more
    Clock anHourAhead = new dev.satellite.support.FakeClock(java.time.Instant.now().plus(Duration.ofHours(1)));
    start(null, new SupervisorSpec.Liveness(false, Duration.ofSeconds(1), Duration.ofSeconds(1), 1), anHourAhead,
        child("p", ProbeActor.class, 16, Map.of("key", "skew")));
    JsonObject seen = (JsonObject) await(vertx.eventBus().request("p", "trace",
        MessageHeaders.request(3000, null, null))).body();
    assertThat(seen.getLong("millisLeft")).isEqualTo(3000L); // (the receiver's clock stands still: it is a fake)
    assertThat(ProbeActor.HANDLED.get()).isEqualTo(1);
  }

  @Test
  void aReplyThatMissesItsDeadlineFreesItsSlotAndItsCallerIsToldSo() throws Exception {
    start(child("p", ProbeActor.class, 3, Map.of("key", "exp")));
    // the callers wait longer than the deadline the message carries: what they hear comes from the actor
    DeliveryOptions shortDeadline = new DeliveryOptions().setSendTimeout(5000).addHeader(MessageHeaders.TIMEOUT, "150");
    Future<Message<Object>> a = vertx.eventBus().request("p", "hold", shortDeadline);
    Future<Message<Object>> b = vertx.eventBus().request("p", "hold", shortDeadline);
    assertThat(fails(a).failureCode()).isEqualTo(ActorFailures.DEADLINE);
    assertThat(fails(b).failureCode()).isEqualTo(ActorFailures.DEADLINE);
    // their slots are free again: with one more message held, the mailbox (3) still takes new work — it would be
    // full if the two replies that never came still held their slots
    Future<Message<Object>> c = vertx.eventBus().request("p", "hold", new DeliveryOptions().setSendTimeout(5000));
    assertThat(await(vertx.eventBus().request("p", "who")).body()).asString().startsWith("p#0@");
    assertThat(c.isComplete()).isFalse();
    assertThat(registry.find("satellite_actor_expired_replies").tags("actor", "p").counter().count()).isEqualTo(2.0);
  }

  @Test
  void anInstanceWhoseMailboxStaysFullOfExpiredWorkIsUnresponsiveAndReplaced() throws Exception {
    List<JsonObject> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(SupervisionEvents.ADDRESS, m -> events.add(m.body()));
    start(null, new SupervisorSpec.Liveness(true, Duration.ofMillis(50), Duration.ofMillis(500), 2),
        child("p", ProbeActor.class, 2, Map.of("key", "stuck")));
    String before = String.valueOf(await(vertx.eventBus().request("p", "who")).body());
    DeliveryOptions shortDeadline = new DeliveryOptions().setSendTimeout(5000).addHeader(MessageHeaders.TIMEOUT, "100");
    fails(vertx.eventBus().request("p", "hold", shortDeadline));
    fails(vertx.eventBus().request("p", "hold", shortDeadline));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (events.stream().noneMatch(e -> "ActorRestarted".equals(e.getString("event"))) && System.nanoTime() < deadline) {
      await(vertx.eventBus().request("satellite.nothing", null, new DeliveryOptions().setSendTimeout(20))
          .recover(t -> Future.succeededFuture()));
    }
    JsonObject crashed = events.stream().filter(e -> "ActorCrashed".equals(e.getString("event"))).findFirst().orElseThrow();
    assertThat(crashed.getString("kind")).isEqualTo("unresponsive");
    assertThat(crashed.getString("reason")).contains("outlived their deadline");
    assertThat(String.valueOf(await(vertx.eventBus().request("p", "who")).body())).isNotEqualTo(before);
  }

  @Test
  void aRelayWhoseDeadlinePassedDoesNotAskFurther() throws Exception {
    start(child("p", ProbeActor.class, 16, Map.of("key", "tr2")),
        child("relay", RelayActor.class, 16, Map.of("target", "p")));
    // the relay itself refuses it: the deadline is checked before any work
    DeliveryOptions expired = new DeliveryOptions().setSendTimeout(5000).addHeader(MessageHeaders.TIMEOUT, "-10");
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
