package dev.satellite.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.actor.ActorFailures;
import dev.satellite.actor.Deadlines;
import dev.satellite.chaos.FaultRegistry;
import dev.satellite.config.ChildSpec;
import dev.satellite.config.SupervisorSpec;
import dev.satellite.services.ActorTypes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
    SupervisorSpec spec = new SupervisorSpec("root", SupervisorSpec.Strategy.ONE_FOR_ONE, 5, Duration.ofSeconds(10),
        new SupervisorSpec.Backoff(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30), 0),
        new SupervisorSpec.Liveness(false, Duration.ofSeconds(1), Duration.ofSeconds(1), 1), List.of(children));
    Supervision supervision = new Supervision("test-node", Clock.systemUTC(), () -> 0.5, ActorTypes::create,
        FaultRegistry.DISABLED, new SupervisionEvents(vertx, registry), new SupervisionTree(registry),
        (code, reason) -> { }, registry, null);
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
}
