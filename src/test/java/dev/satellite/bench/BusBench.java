package dev.satellite.bench;

import dev.satellite.config.ConfigLoader;
import dev.satellite.node.Node;
import dev.satellite.supervision.MonotonicClock;
import dev.satellite.actor.ActorBinding;
import dev.satellite.services.HelloActor;
import dev.satellite.support.TestConfigs;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Event-bus figures:
 * <ol>
 *   <li>local request/reply throughput through the actor API (the {@code hello} actor with all of the actor
 *       base's checks) against raw {@code eventBus().request} to a bare verticle that answers the same, on one
 *       Vert.x with a single event loop (so thread placement is equal), interleaved round by round, 256
 *       requests in flight;</li>
 *   <li>cross-node request/reply latency on loopback: two clustered nodes in this JVM, one at a time from
 *       node a to node b's {@code whoami} (its node address), p50/p99.</li>
 * </ol>
 * Run with {@code bench/cluster.sh}. Arguments: rounds (default 7), requests per round (default 200000).
 */
public final class BusBench {

  private BusBench() {
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    localThroughput(rounds, perRound);
    if (args.length < 3) {
      crossNodeLatency(20_000);
    }
    System.exit(0);
  }

  private static Node node(String... sets) throws Exception {
    List<String> all = new ArrayList<>(List.of("http.host=127.0.0.1", "http.port=" + TestConfigs.freePort(), "admin.port=" + TestConfigs.freePort()));
    all.addAll(List.of(sets));
    Node node = new Node(ConfigLoader.load(null, Map.of(), all, Files.createTempDirectory("bench")), new MonotonicClock(),
        (code, reason) -> {
          throw new IllegalStateException(reason);
        });
    node.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return node;
  }

  private static void localThroughput(int rounds, int perRound) throws Exception {
    // one event loop: sender, bare consumer and actor all share it, so thread placement (which decides most
    // of the throughput when they are spread over loops) is the same for both and only the per-message work
    // of the actor base differs
    Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.eventBus().consumer("raw-hello", m -> m.reply(HelloActor.GREETING)).completion();
      }
    }, new DeploymentOptions()).toCompletionStage().toCompletableFuture().get();
    vertx.deployVerticle(() -> {
      HelloActor actor = new HelloActor();
      actor.bind(ActorBinding.standalone("hello", "hello", "bench"));
      return actor;
    }, new DeploymentOptions()).toCompletionStage().toCompletableFuture().get();
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round <= rounds; round++) {
      double raw = run(vertx, "raw-hello", perRound);
      double actor = run(vertx, "hello", perRound);
      if (round == 0) {
        continue; // warm-up
      }
      ratios.add(actor / raw);
      System.out.printf("round %d: raw %.0f req/s, actor API %.0f req/s, ratio %.3f%n", round, raw, actor, actor / raw);
    }
    Collections.sort(ratios);
    System.out.printf("actor API / raw event bus, median of %d rounds: %.3f%n", ratios.size(), ratios.get(ratios.size() / 2));
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  /** Requests per second for {@code total} requests to {@code address}, 256 in flight, from an event-loop context. */
  private static double run(Vertx vertx, String address, int total) throws Exception {
    Promise<Long> done = Promise.promise();
    vertx.runOnContext(v -> {
      EventBus bus = vertx.eventBus();
      DeliveryOptions options = new DeliveryOptions().setSendTimeout(10_000);
      long start = System.nanoTime();
      int[] sent = {0};
      int[] received = {0};
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        while (sent[0] < total && sent[0] - received[0] < 256) {
          sent[0]++;
          bus.request(address, null, options).onComplete(ar -> {
            if (ar.failed()) {
              done.tryFail(ar.cause());
              return;
            }
            if (++received[0] == total) {
              done.complete(System.nanoTime() - start);
            } else {
              pump[0].run();
            }
          });
        }
      };
      pump[0].run();
    });
    long nanos = done.future().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    return total / (nanos / 1e9);
  }

  private static void crossNodeLatency(int requests) throws Exception {
    String cluster = "bench-" + System.nanoTime();
    Node a = node("node.id=bench-a", "cluster.enabled=true", "cluster.name=" + cluster);
    Node b = node("node.id=bench-b", "cluster.enabled=true", "cluster.name=" + cluster);
    Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(5000);
    for (int i = 0; i < requests + 2000; i++) {
      long t0 = System.nanoTime();
      Future<?> f = a.vertx().eventBus().request("whoami@bench-b", null, options);
      f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      if (i >= 2000) {
        latency.recordValue(System.nanoTime() - t0);
      }
    }
    System.out.printf("cross-node request/reply on loopback over %d requests (one at a time): p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        latency.getTotalCount(), latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
        latency.getMaxValue() / 1e6);
    b.shutdown().toCompletionStage().toCompletableFuture().get();
    a.shutdown().toCompletionStage().toCompletableFuture().get();
  }
}
