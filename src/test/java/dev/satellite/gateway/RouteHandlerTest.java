package dev.satellite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.satellite.cluster.BusRouter;
import dev.satellite.config.RouteSpec;
import dev.satellite.edge.LoadShedder;
import dev.satellite.edge.RateLimiter;
import dev.satellite.edge.RoutePolicy;
import dev.satellite.http.ErrorResponses;
import dev.satellite.http.ClientErrors;
import dev.satellite.support.NodeHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import dev.satellite.actor.ActorFailures;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A route's deadline starts when the request arrives: time spent on the way, in a slow rate limit, is part of it. */
@ExtendWith(VertxExtension.class)
@Timeout(30_000)
class RouteHandlerTest {

  /** A rate limit that always admits, after {@code delayMs} (a cluster-wide bucket far away, say). */
  private static RateLimiter slow(Vertx vertx, long delayMs) {
    return new RateLimiter() {
      @Override
      public Future<Decision> acquire(String key) {
        Promise<Decision> p = Promise.promise();
        vertx.setTimer(delayMs, t -> p.complete(new Decision(true, 1, 0, 0)));
        return p.future();
      }

      @Override
      public JsonObject stats() {
        return new JsonObject();
      }
    };
  }

  private int serve(Vertx vertx, long limiterDelayMs) throws Exception {
    return serve(vertx, slow(vertx, limiterDelayMs), BusRouter.local(vertx), 1);
  }

  /** Route /p (GET and POST) to a probe actor through {@code bus}, with {@code attempts} tries per request. */
  private int serve(Vertx vertx, RateLimiter limiter, BusRouter bus, int attempts) throws Exception {
    NodeHarness.await(vertx.deployVerticle(new dev.satellite.supervision.ProbeActor(),
        new DeploymentOptions().setConfig(new JsonObject().put("address", "p"))));
    RouteSpec spec = new RouteSpec("/p", "/p", Set.of("GET", "POST"), Optional.of("p"), Optional.empty(), Optional.empty(),
        Duration.ofMillis(1000), 100, new RouteSpec.RateLimit(1000, 1000, "cluster", "none"),
        new RouteSpec.Breaker(0, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5)),
        new RouteSpec.Retry(attempts, 1.0, 100), Optional.empty());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RoutePolicy policy = new RoutePolicy(spec, limiter, vertx,
        ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext(), registry, System::nanoTime);
    Router router = Router.router(vertx);
    RouteHandler handler = new RouteHandler(policy, new LoadShedder(100, Duration.ZERO, 1), Set.of(), "test",
        Clock.systemUTC(), bus, null, vertx, dev.satellite.chaos.FaultRegistry.DISABLED);
    router.post("/p").handler(io.vertx.ext.web.handler.BodyHandler.create(false)).handler(handler);
    router.get("/p").handler(handler);
    ErrorResponses.install(router, "test", new ClientErrors(registry, 1, System::nanoTime));
    return NodeHarness.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")).actualPort();
  }

  @Test
  void theTimeARateLimitTakesIsPartOfTheDeadline(Vertx vertx) throws Exception {
    int port = serve(vertx, 300);
    HttpResponse<Buffer> r = NodeHarness.await(WebClient.create(vertx).post(port, "127.0.0.1", "/p")
        .putHeader("content-type", "text/plain").sendBuffer(Buffer.buffer("trace")));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getLong("millisLeft")).as("1000 ms from arrival, 300 of them spent before the actor")
        .isBetween(1L, 700L);
  }

  @Test
  void aDeadlineThatPassesInTheRateLimitIs504WithoutAskingTheTarget(Vertx vertx) throws Exception {
    int port = serve(vertx, 1100);
    dev.satellite.supervision.ProbeActor.HANDLED.set(0);
    HttpResponse<Buffer> r = NodeHarness.await(WebClient.create(vertx).post(port, "127.0.0.1", "/p")
        .putHeader("content-type", "text/plain").sendBuffer(Buffer.buffer("who")));
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(r.bodyAsJsonObject().getString("detail")).contains("before the route's target was called");
    assertThat(dev.satellite.supervision.ProbeActor.HANDLED.get()).isZero();
  }

  /** A cluster whose first pick of node is lost while it has the request; any other instance is this node's. */
  private static BusRouter firstNodeLost(Vertx vertx) {
    BusRouter here = BusRouter.local(vertx);
    return new BusRouter() {
      @Override
      public <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options) {
        return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ActorFailures.NODE_LOST,
            "node b sent no tick for 640 ms"));
      }

      @Override
      public <T> Future<Message<T>> requestAnyInstance(String address, Object body, DeliveryOptions options) {
        return here.requestAnyInstance(address, body, options);
      }

      @Override
      public void send(String address, Object body, DeliveryOptions options) {
      }
    };
  }

  private static RateLimiter admitting() {
    return new RateLimiter() {
      @Override
      public Future<Decision> acquire(String key) {
        return Future.succeededFuture(new Decision(true, 1, 0, 0));
      }

      @Override
      public JsonObject stats() {
        return new JsonObject();
      }
    };
  }

  @Test
  void aRequestWhoseNodeWasLostIs503NodeLostWithRetryAfterUnlessItIsIdempotent(Vertx vertx) throws Exception {
    int port = serve(vertx, admitting(), firstNodeLost(vertx), 2);
    WebClient client = WebClient.create(vertx);
    HttpResponse<Buffer> post = NodeHarness.await(client.post(port, "127.0.0.1", "/p")
        .putHeader("content-type", "text/plain").sendBuffer(Buffer.buffer("who")));
    assertThat(post.statusCode()).as("a POST may have been carried out: not sent again").isEqualTo(503);
    assertThat(post.getHeader("Retry-After")).isNotNull();
    assertThat(post.getHeader("content-type")).isEqualTo("application/problem+json");
    assertThat(post.bodyAsJsonObject().getString("type")).endsWith("/node-lost");

    HttpResponse<Buffer> get = NodeHarness.await(client.get(port, "127.0.0.1", "/p").send());
    assertThat(get.statusCode()).as("a GET goes to another node").isEqualTo(200);
  }
}
