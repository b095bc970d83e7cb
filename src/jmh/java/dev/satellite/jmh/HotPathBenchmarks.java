package dev.satellite.jmh;

import dev.satellite.actor.ActorBinding;
import dev.satellite.actor.ActorLink;
import dev.satellite.actor.ActorMeters;
import dev.satellite.chaos.FaultRegistry;
import dev.satellite.cluster.BusRouter;
import dev.satellite.cluster.LocalInstances;
import dev.satellite.config.RouteSpec;
import dev.satellite.edge.LocalRateLimiter;
import dev.satellite.edge.Outcome;
import dev.satellite.edge.RateLimiter;
import dev.satellite.edge.RoutePolicy;
import dev.satellite.services.HelloActor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Microbenchmarks of the hot paths (profile {@code jmh}, never run by the test suite):
 * {@code ./mvnw -B -Pjmh package -DskipTests && java -jar target/benchmarks.jar}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmarks {

  private LocalRateLimiter limiter;
  private LocalRateLimiter keyedLimiter;
  private Vertx vertx;
  private CircuitBreaker breaker;
  private Router router;
  private RoutePolicy policy;
  private RoutePolicy scraped;
  private Context loop;
  private BusRouter bus;
  private int key;
  static final int BATCH = 1000;
  private static final Supplier<Future<Integer>> OK = () -> Future.succeededFuture(200);

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    limiter = new LocalRateLimiter(new RouteSpec.RateLimit(1_000_000_000L, 1_000_000_000L, "node", "none"), 10_000,
        System::nanoTime);
    keyedLimiter = new LocalRateLimiter(new RouteSpec.RateLimit(1_000_000_000L, 1_000_000_000L, "node", "ip"), 10_000,
        System::nanoTime);
    vertx = Vertx.vertx();
    breaker = CircuitBreaker.create("bench", vertx, new CircuitBreakerOptions().setMaxFailures(5).setTimeout(-1));
    policy = new RoutePolicy(new RouteSpec("/b", "/b", Set.of(), Optional.of("hello"), Optional.empty(), Optional.empty(),
        Duration.ofSeconds(1), 100_000, new RouteSpec.RateLimit(0, 0, "node", "none"),
        new RouteSpec.Breaker(5, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(60)),
        new RouteSpec.Retry(1, 0, 0)),
        null, vertx, ((VertxInternal) vertx).createEventLoopContext(), new SimpleMeterRegistry(), System::nanoTime);
    // the same route on the node's own registry type, for what counting and timing one answer costs
    scraped = new RoutePolicy(policy.spec(), null, vertx, ((VertxInternal) vertx).createEventLoopContext(),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), System::nanoTime);
    // one instance on the loop the requests start from, found there as the gateway finds it
    LocalInstances instances = new LocalInstances();
    bus = BusRouter.local(vertx, instances);
    HelloActor hello = new HelloActor();
    hello.bind(new ActorBinding("hello", "hello", 0, 1, "bench", 1 << 20, new JsonObject(), ActorLink.NONE,
        FaultRegistry.DISABLED, Clock.systemUTC(), ActorMeters.detached("hello"), bus, Duration.ofSeconds(1)));
    vertx.deployVerticle(hello, new DeploymentOptions()).toCompletionStage().toCompletableFuture().get();
    for (int i = 0; i < 64 && loop == null; i++) {
      Context candidate = ((VertxInternal) vertx).createEventLoopContext();
      CompletableFuture<Boolean> sameLoop = new CompletableFuture<>();
      candidate.runOnContext(v -> sameLoop.complete(instances.onThisThread("hello") != null));
      if (sameLoop.get(10, TimeUnit.SECONDS)) {
        loop = candidate;
      }
    }
    if (loop == null) {
      throw new IllegalStateException("no event-loop context on the hello actor's loop");
    }
    router = Router.router(vertx);
    for (String path : new String[] {"/health/live", "/health/ready", "/hello", "/whoami", "/echo", "/api/*"}) {
      router.get(path).handler(ctx -> ctx.end());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  /** What every answered request pays to be counted and timed on its route (Prometheus registry, as in the node). */
  @Benchmark
  public void recordAnswered() {
    scraped.record(Outcome.OK, System.nanoTime() - 1_000_000);
  }

  /** One token from the single bucket of an unkeyed route. */
  @Benchmark
  public RateLimiter.Decision rateLimiterCheck() {
    return limiter.decideNow("");
  }

  /** One token from a keyed route, cycling over 1000 client addresses. */
  @Benchmark
  public RateLimiter.Decision keyedRateLimiterCheck() {
    key = (key + 1) % 1000;
    return keyedLimiter.decideNow("10.0.0." + key);
  }

  /** What a request pays for the breaker of its route while it is closed (Satellite's path: no lock, no hop). */
  @Benchmark
  public Integer breakerClosedCall() {
    Integer status = policy.breakerClosed() ? OK.get().result() : null;
    policy.breaker().succeeded();
    return status;
  }

  /**
   * The same call through vertx-circuit-breaker's {@code execute}, for comparison: it completes on the next turn of
   * a context, so this waits for it from the benchmark thread (a thread hand-off included).
   */
  @Benchmark
  public Integer breakerExecute() throws Exception {
    return breaker.<Integer>execute(() -> Future.succeededFuture(200)).toCompletionStage().toCompletableFuture().get();
  }

  /**
   * Request/reply to the hello actor on the caller's own event loop, {@value #BATCH} in flight at a time, waited
   * for once per batch: the cost of one round trip on the bus as the gateway pays it, without thread hand-offs.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int actorRequestReplyOnTheLoop() throws Exception {
    CompletableFuture<Integer> all = new CompletableFuture<>();
    loop.runOnContext(v -> {
      int[] left = {BATCH};
      for (int i = 0; i < BATCH; i++) {
        bus.request("hello", null, new DeliveryOptions().setSendTimeout(1000)).onComplete(ar -> {
          if (--left[0] == 0) {
            all.complete(BATCH);
          }
        });
      }
    });
    return all.get(10, TimeUnit.SECONDS);
  }

  /** The route table the public listener matches against (vertx-web), asked for its routes' paths. */
  @Benchmark
  public int routeTableScan() {
    int n = 0;
    for (var route : router.getRoutes()) {
      if ("/hello".equals(route.getPath())) {
        n++;
      }
    }
    return n;
  }
}
