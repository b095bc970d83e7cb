package dev.satellite.jmh;

import dev.satellite.actor.ActorBinding;
import dev.satellite.config.RouteSpec;
import dev.satellite.edge.LocalRateLimiter;
import dev.satellite.edge.RateLimiter;
import dev.satellite.services.HelloActor;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
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
  private int key;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    limiter = new LocalRateLimiter(new RouteSpec.RateLimit(1_000_000_000L, 1_000_000_000L, "node", "none"), 10_000,
        System::nanoTime);
    keyedLimiter = new LocalRateLimiter(new RouteSpec.RateLimit(1_000_000_000L, 1_000_000_000L, "node", "ip"), 10_000,
        System::nanoTime);
    vertx = Vertx.vertx();
    breaker = CircuitBreaker.create("bench", vertx, new CircuitBreakerOptions().setMaxFailures(5).setTimeout(-1));
    HelloActor hello = new HelloActor();
    hello.bind(ActorBinding.standalone("hello", "hello", "bench"));
    vertx.deployVerticle(hello).toCompletionStage().toCompletableFuture().get();
    router = Router.router(vertx);
    for (String path : new String[] {"/health/live", "/health/ready", "/hello", "/whoami", "/echo", "/api/*"}) {
      router.get(path).handler(ctx -> ctx.end());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
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

  /** A call through a closed breaker that completes at once. */
  @Benchmark
  public Integer breakerExecute() throws Exception {
    return breaker.<Integer>execute(() -> Future.succeededFuture(200)).toCompletionStage().toCompletableFuture().get();
  }

  /** Request/reply to the hello actor, waited for from the benchmark thread (includes the thread hand-offs). */
  @Benchmark
  public Object actorRequestReply() throws Exception {
    Message<Object> reply = vertx.eventBus().request("hello", null).toCompletionStage().toCompletableFuture().get();
    return reply.body();
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
