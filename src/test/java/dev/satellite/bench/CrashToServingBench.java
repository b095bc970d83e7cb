package dev.satellite.bench;

import dev.satellite.chaos.FaultRegistry;
import dev.satellite.config.ChildSpec;
import dev.satellite.config.SupervisorSpec;
import dev.satellite.services.ActorTypes;
import dev.satellite.supervision.Supervision;
import dev.satellite.supervision.SupervisionEvents;
import dev.satellite.supervision.SupervisionTree;
import dev.satellite.supervision.Supervisor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Crash-to-serving time of one actor instance: a request makes the only instance of an actor throw; from
 * the moment its caller has the failure, a client retries until a fresh instance answers. Restart limits
 * are raised and backoff is off so only the supervisor's own work is measured. Also reports the
 * supervisor's own view (crash signal to new instance deployed, from {@code ActorRestarted.downMs}).
 *
 * <p>Run with {@code bench/supervision.sh}. Arguments: crashes (default 2000), warm-up crashes (default 500).
 */
public final class CrashToServingBench {

  private CrashToServingBench() {
  }

  public static void main(String[] args) throws Exception {
    int crashes = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    Vertx vertx = Vertx.vertx();
    Histogram client = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    Histogram supervisor = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    boolean[] measuring = {false};
    vertx.eventBus().<JsonObject>localConsumer(SupervisionEvents.ADDRESS, m -> {
      if (measuring[0] && "ActorRestarted".equals(m.body().getString("event"))) {
        supervisor.recordValue((long) (m.body().getDouble("downMs") * 1_000_000));
      }
    });
    SupervisorSpec spec = new SupervisorSpec("root", SupervisorSpec.Strategy.ONE_FOR_ONE, Integer.MAX_VALUE / 2,
        Duration.ofSeconds(1), new SupervisorSpec.Backoff(Duration.ZERO, Duration.ZERO, Duration.ZERO, 0),
        new SupervisorSpec.Liveness(false, Duration.ofSeconds(1), Duration.ofSeconds(1), 1),
        List.of(new ChildSpec("victim", Optional.of(Victim.class.getName()), Optional.empty(), "victim", 1,
            ChildSpec.Restart.PERMANENT, Duration.ofSeconds(5), Duration.ofSeconds(5), 1024, Map.of())));
    Supervision supervision = new Supervision("bench", Clock.systemUTC(), Math::random, ActorTypes::create,
        FaultRegistry.DISABLED, new SupervisionEvents(vertx, new SimpleMeterRegistry()),
        new SupervisionTree(new SimpleMeterRegistry()), (code, reason) -> {
          throw new IllegalStateException("gave up: " + reason);
        }, new SimpleMeterRegistry(), null);
    vertx.deployVerticle(Supervisor.root(spec, supervision)).toCompletionStage().toCompletableFuture().get();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(5000);
    for (int i = 0; i < warmup + crashes; i++) {
      measuring[0] = i >= warmup;
      try {
        vertx.eventBus().request("victim", "boom", options).toCompletionStage().toCompletableFuture().get();
        throw new IllegalStateException("the victim did not crash");
      } catch (ExecutionException expected) {
        // crashed
      }
      long crashed = System.nanoTime();
      while (true) {
        try {
          vertx.eventBus().request("victim", "ping", options).toCompletionStage().toCompletableFuture().get();
          break;
        } catch (ExecutionException notYet) {
          // no handler yet: the fresh instance is not registered
        }
      }
      if (measuring[0]) {
        client.recordValue(System.nanoTime() - crashed);
      }
    }
    Thread.sleep(200); // let the last events arrive
    System.out.printf("crash-to-serving over %d crashes (after %d warm-up), client view: p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        client.getTotalCount(), warmup, ms(client.getValueAtPercentile(50)), ms(client.getValueAtPercentile(99)),
        ms(client.getMaxValue()));
    System.out.printf("supervisor view (crash signal to fresh instance deployed) over %d restarts: p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        supervisor.getTotalCount(), ms(supervisor.getValueAtPercentile(50)), ms(supervisor.getValueAtPercentile(99)),
        ms(supervisor.getMaxValue()));
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** Throws on {@code boom}, answers anything else. */
  public static final class Victim extends dev.satellite.actor.Actor<Object> {
    public Victim() {
      super(Object.class);
    }

    @Override
    protected io.vertx.core.Future<?> onMessage(io.vertx.core.eventbus.Message<Object> message) {
      if ("boom".equals(message.body())) {
        throw new IllegalStateException("boom");
      }
      return io.vertx.core.Future.succeededFuture("pong");
    }
  }
}
